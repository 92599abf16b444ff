import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { bindings, policyRules, ruleGrants, type PolicyRuleEntry } from '../tools/lib/rbac/rbac.ts';
import { allowListSchema, isAllowed, type AllowEntry } from '../tools/lib/rbac/allow-list.ts';

interface Options {
  allow: AllowEntry[];
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * The verbs that open pods/exec and pods/attach. Since Kubernetes 1.31 (AuthorizePodWebsocketUpgradeCreatePermission,
 * on by default) the websocket GET that kubectl uses is authorized as create; before, get was enough.
 */
function streamVerbs(kubernetesVersion: string): string[] {
  const minor = Number(/^v?1\.(\d+)/.exec(kubernetesVersion)?.[1] ?? 0);
  return minor >= 31 ? ['create'] : ['create', 'get'];
}

/** Each permission that lets its holder take more than it was given, and how a rule grants it (wildcards included). */
const SENSITIVE = [
  { id: 'read-secrets', what: 'reads Secrets (get, list or watch on secrets), and with them every credential of the namespace', grants: (r: PolicyRuleEntry) => ruleGrants(r, '', 'secrets', ['get', 'list', 'watch']) },
  { id: 'pods-exec', what: 'runs commands in pods (pods/exec)', grants: (r: PolicyRuleEntry, version: string) => ruleGrants(r, '', 'pods/exec', streamVerbs(version)) },
  { id: 'pods-attach', what: 'attaches to running containers (pods/attach)', grants: (r: PolicyRuleEntry, version: string) => ruleGrants(r, '', 'pods/attach', streamVerbs(version)) },
  { id: 'escalate', what: 'writes roles with permissions it does not hold (escalate)', grants: (r: PolicyRuleEntry) => ['roles', 'clusterroles'].some((res) => ruleGrants(r, RBAC_GROUP, res, ['escalate'])) },
  { id: 'bind', what: 'binds roles it does not hold (bind)', grants: (r: PolicyRuleEntry) => ['roles', 'clusterroles'].some((res) => ruleGrants(r, RBAC_GROUP, res, ['bind'])) },
  { id: 'impersonate', what: 'acts as other users, groups or ServiceAccounts (impersonate)', grants: (r: PolicyRuleEntry) => ['users', 'groups', 'serviceaccounts'].some((res) => ruleGrants(r, '', res, ['impersonate'])) },
] as const;

/** Kubernetes' default user-facing ClusterRoles that grant sensitive permissions (kubernetes.io/docs/reference/access-authn-authz/rbac). */
const BUILT_IN_ROLES: Record<string, string[]> = {
  admin: ['read-secrets', 'pods-exec', 'pods-attach', 'impersonate'],
  edit: ['read-secrets', 'pods-exec', 'pods-attach', 'impersonate'],
};

const PERMISSIONS = [...SENSITIVE.map((s) => s.id), 'cluster-admin'] as const;

export default defineRule<Options>({
  id: 'rbac/sensitive-permissions',
  severity: 'error',
  description: 'No role reads Secrets, execs or attaches into pods, escalates, binds or impersonates, and nothing binds cluster-admin (or the built-in admin and edit roles, which read Secrets and exec), outside the documented allow-list',
  rationale:
    'These permissions are ways to get more than was granted: Secrets hold the tokens of every other ServiceAccount ' +
    'and the application credentials, pods/exec and pods/attach run code inside someone else\'s container, escalate and ' +
    'bind let a subject hand itself any role, impersonate lets it act as anyone, and cluster-admin is all of them at ' +
    'once. Seed 003\'s worker RBAC needs none of them (pods, pods/log, pods/status). When one is truly needed it must be ' +
    'a reviewed decision, written down in policies/config.yaml with its reason.',
  howToFix:
    'Grant the narrow permission the workload uses instead: a Secret it needs is mounted into its pod (no RBAC at all), ' +
    'logs are read through pods/log, and an operator gets a ClusterRole listing its own resources rather than cluster-admin.\n\n' +
    'When the permission is needed, document it in policies/config.yaml:\n\n' +
    '  rules:\n' +
    '    rbac/sensitive-permissions:\n' +
    '      options:\n' +
    '        allow:\n' +
    '          - object: "ClusterRole external-secrets-controller"\n' +
    '            permissions: [read-secrets]\n' +
    '            reason: "reconciles ExternalSecrets into Secrets; upstream chart role"\n\n' +
    `Permissions: ${PERMISSIONS.join(', ')}.`,
  optionsSchema: { type: 'object', additionalProperties: false, properties: { allow: allowListSchema(PERMISSIONS) } },
  defaultOptions: { allow: [] },
  check({ cluster, graph, options, report }) {
    for (const rule of policyRules(graph)) {
      for (const permission of SENSITIVE) {
        if (!permission.grants(rule, cluster.kubernetesVersion) || isAllowed(options.allow, rule.role, permission.id)) continue;
        report({
          object: rule.role,
          path: ['rules', rule.index],
          key: permission.id,
          message: `${describeRef(refOf(rule.role))} rules[${rule.index}] ${permission.what}; allow it in the rule's options with a reason if it is needed`,
        });
      }
    }
    for (const entry of bindings(graph)) {
      if (entry.roleKind !== 'ClusterRole') continue;
      const subjects = entry.subjects.map((s) => (s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ?? entry.binding.metadata.namespace ?? ''}/${s.name}` : `${s.kind} ${s.name}`));
      const builtIn = BUILT_IN_ROLES[entry.roleName];
      if (builtIn && !graph.get('ClusterRole', undefined, entry.roleName)) {
        const granted = builtIn.filter((id) => !isAllowed(options.allow, entry.binding, id));
        if (granted.length > 0) {
          report({
            object: entry.binding,
            path: ['roleRef', 'name'],
            key: 'built-in',
            message: `${describeRef(refOf(entry.binding))} grants the built-in ClusterRole ${entry.roleName} (${granted.join(', ')}) to ${subjects.length > 0 ? subjects.join(', ') : 'no subject yet'}; bind a role that lists what they need`,
          });
        }
        continue;
      }
      if (entry.roleName !== 'cluster-admin' || isAllowed(options.allow, entry.binding, 'cluster-admin')) continue;
      const scope = entry.binding.kind === 'RoleBinding' ? `everything in namespace ${entry.binding.metadata.namespace}` : 'everything in the cluster';
      report({
        object: entry.binding,
        path: ['roleRef', 'name'],
        message: `${describeRef(refOf(entry.binding))} grants cluster-admin (${scope}) to ${subjects.length > 0 ? subjects.join(', ') : 'no subject yet'}; bind a role that lists what they need`,
      });
    }
  },
});
