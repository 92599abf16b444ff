// Which name syntax the API server demands of metadata.name, per kind (the Validate<Kind>Name functions of
// k8s.io/kubernetes pkg/apis/*/validation at v1.33; custom resources use NameIsDNSSubdomain).
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPathSegmentName } from './validators.ts';

export interface NameRule {
  validate(name: string): string[];
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

const DNS_LABEL: NameRule = { validate: isDNS1123Label };
const DNS_SUBDOMAIN: NameRule = { validate: isDNS1123Subdomain };
const DNS_1035: NameRule = { validate: isDNS1035Label };
const PATH_SEGMENT: NameRule = { validate: isValidPathSegmentName };
// Job names become the job-name label of its pods, and CronJob appends an 11-character suffix to its own name.
const CRONJOB: NameRule = {
  validate: (name) => {
    const errs = isDNS1123Subdomain(name);
    return Buffer.byteLength(name, 'utf8') > 52 ? [...errs, 'must be no more than 52 characters'] : errs;
  },
};

export function nameRuleFor(kind: string, group: string): NameRule {
  if (group === '' && kind === 'Namespace') return DNS_LABEL;
  if (group === '' && kind === 'Service') return DNS_1035;
  if (group === 'apps' && kind === 'StatefulSet') return DNS_LABEL;
  if (group === 'batch' && kind === 'CronJob') return CRONJOB;
  if (group === RBAC_GROUP && RBAC_KINDS.has(kind)) return PATH_SEGMENT;
  return DNS_SUBDOMAIN;
}
