import { defineRule } from '../tools/lib/core/rule.ts';
import type { ClusterGraph } from '../tools/lib/core/graph.ts';
import type { K8sObject } from '../tools/lib/core/types.ts';
import { builtinStatus, kubernetesMinor, servedApiVersionsFor, splitApiVersion } from '../tools/lib/schema/api-catalog.ts';

/** Kinds of one custom apiVersion whose CustomResourceDefinitions are installed outside what the checker renders. */
export interface CustomResourceList {
  apiVersion: string;
  kinds: string[];
}

interface Options {
  /** CRDs of the tools this repository installs through Helm charts the checker does not render. */
  wellKnownCustomResources: CustomResourceList[];
  /** More CRDs installed out of band (or opt-in beta APIs the API server enables). */
  customResources: CustomResourceList[];
}

const FLUX_SOURCES = ['Bucket', 'GitRepository', 'HelmChart', 'HelmRepository', 'OCIRepository'];
const EXTERNAL_SECRETS = ['ClusterExternalSecret', 'ClusterSecretStore', 'ExternalSecret', 'SecretStore'];
const IMAGE_AUTOMATION = ['ImagePolicy', 'ImageRepository', 'ImageUpdateAutomation'];

/** The served versions of the CRDs that Flux 2.x, Argo CD, Argo Rollouts, cert-manager 1.x, External Secrets, prometheus-operator and Traefik 3 install. */
export const WELL_KNOWN_CUSTOM_RESOURCES: CustomResourceList[] = [
  { apiVersion: 'source.toolkit.fluxcd.io/v1', kinds: FLUX_SOURCES },
  { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kinds: ['Kustomization'] },
  { apiVersion: 'helm.toolkit.fluxcd.io/v2', kinds: ['HelmRelease'] },
  { apiVersion: 'notification.toolkit.fluxcd.io/v1', kinds: ['Receiver'] },
  { apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kinds: ['Alert', 'Provider'] },
  { apiVersion: 'image.toolkit.fluxcd.io/v1beta2', kinds: IMAGE_AUTOMATION },
  { apiVersion: 'image.toolkit.fluxcd.io/v1', kinds: IMAGE_AUTOMATION },
  { apiVersion: 'argoproj.io/v1alpha1', kinds: ['AppProject', 'Application', 'ApplicationSet'] },
  { apiVersion: 'argoproj.io/v1alpha1', kinds: ['AnalysisRun', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'Experiment', 'Rollout'] },
  { apiVersion: 'cert-manager.io/v1', kinds: ['Certificate', 'CertificateRequest', 'ClusterIssuer', 'Issuer'] },
  { apiVersion: 'acme.cert-manager.io/v1', kinds: ['Challenge', 'Order'] },
  { apiVersion: 'external-secrets.io/v1', kinds: EXTERNAL_SECRETS },
  { apiVersion: 'external-secrets.io/v1beta1', kinds: EXTERNAL_SECRETS },
  { apiVersion: 'external-secrets.io/v1alpha1', kinds: ['ClusterPushSecret', 'PushSecret'] },
  { apiVersion: 'monitoring.coreos.com/v1', kinds: ['Alertmanager', 'PodMonitor', 'Probe', 'Prometheus', 'PrometheusRule', 'ServiceMonitor', 'ThanosRuler'] },
  { apiVersion: 'monitoring.coreos.com/v1alpha1', kinds: ['AlertmanagerConfig', 'PrometheusAgent', 'ScrapeConfig'] },
  { apiVersion: 'monitoring.coreos.com/v1beta1', kinds: ['AlertmanagerConfig'] },
  {
    apiVersion: 'traefik.io/v1alpha1',
    kinds: ['IngressRoute', 'IngressRouteTCP', 'IngressRouteUDP', 'Middleware', 'MiddlewareTCP', 'ServersTransport', 'ServersTransportTCP', 'TLSOption', 'TLSStore', 'TraefikService'],
  },
];

const CUSTOM_RESOURCE_LISTS_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kinds'],
    properties: {
      apiVersion: { type: 'string', pattern: '^[a-z0-9.-]+/v[0-9]+((alpha|beta)[0-9]+)?$' },
      kinds: { type: 'array', items: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$' } },
    },
  },
};

interface CrdVersion {
  name: string;
  served: boolean;
}

interface CustomResourceDefinition {
  object: K8sObject;
  group: string;
  kind: string;
  versions: CrdVersion[];
}

/** The rendered CRDs of the cluster by "group/Kind". apiextensions v1beta1 CRDs may name a single spec.version. */
function crdsOf(graph: ClusterGraph): Map<string, CustomResourceDefinition> {
  const crds = new Map<string, CustomResourceDefinition>();
  for (const object of graph.byKind('CustomResourceDefinition')) {
    if (splitApiVersion(object.apiVersion).group !== 'apiextensions.k8s.io') continue;
    const spec = (object as any).spec ?? {};
    const kind = spec.names?.kind;
    if (typeof spec.group !== 'string' || typeof kind !== 'string') continue;
    const versions: CrdVersion[] = Array.isArray(spec.versions)
      ? spec.versions.filter((v: any) => typeof v?.name === 'string').map((v: any) => ({ name: v.name, served: v.served === true }))
      : typeof spec.version === 'string' ? [{ name: spec.version, served: true }] : [];
    crds.set(`${spec.group}/${kind}`, { object, group: spec.group, kind, versions });
  }
  return crds;
}

/** Group/versions served by aggregated API servers (APIService objects rendered in the cluster): their kinds are unknowable here. */
function aggregatedApiVersionsOf(graph: ClusterGraph): Set<string> {
  const apiVersions = new Set<string>();
  for (const object of graph.byKind('APIService')) {
    const spec = (object as any).spec ?? {};
    if (typeof spec.group === 'string' && typeof spec.version === 'string' && spec.service) apiVersions.add(`${spec.group}/${spec.version}`);
  }
  return apiVersions;
}

function listsInclude(lists: CustomResourceList[], apiVersion: string, kind: string): boolean {
  return lists.some((list) => list.apiVersion === apiVersion && list.kinds.includes(kind));
}

function orList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export default defineRule<Options>({
  id: 'schema/known-api',
  severity: 'error',
  description: "Every rendered object's apiVersion and kind is served by the cluster's Kubernetes version or by a CustomResourceDefinition",
  rationale:
    'The API server rejects an object whose apiVersion it does not serve, and the reconciler then stops applying the whole ' +
    'Kustomization or Application: a PodDisruptionBudget still written as policy/v1beta1 blocks every other change to its app ' +
    'from the day the cluster is upgraded to 1.25. The same happens to a custom resource whose CRD is not installed, or whose ' +
    'version the CRD no longer serves. Checking every object against the version each cluster runs catches this in the pull ' +
    'request, before an upgrade or a sync fails in the cluster.',
  howToFix:
    'Move the object to an apiVersion the cluster serves; the finding names it:\n\n' +
    '  apiVersion: policy/v1            # was policy/v1beta1, removed in 1.25\n' +
    '  kind: PodDisruptionBudget\n\n' +
    'For a custom resource, render its CustomResourceDefinition in the same cluster, or, when the CRD comes from a Helm chart ' +
    'the checker does not render, list it in policies/config.yaml:\n\n' +
    '  rules:\n' +
    '    schema/known-api:\n' +
    '      options:\n' +
    '        customResources:\n' +
    '          - { apiVersion: gateway.networking.k8s.io/v1, kinds: [Gateway, HTTPRoute] }\n\n' +
    'The same list declares opt-in beta APIs your API server enables with --runtime-config.',
  messages: {
    badKubernetesVersion: 'cluster {{cluster}} declares kubernetesVersion "{{version}}", which is not a 1.x version such as "1.33"',
    removed: '{{apiVersion}} {{kind}} was removed in Kubernetes 1.{{removed}} (cluster runs {{version}}); {{advice}}',
    notYetServed: '{{apiVersion}} {{kind}} is served from Kubernetes 1.{{since}} (cluster runs {{version}})',
    notYetServedUse: '{{apiVersion}} {{kind}} is served from Kubernetes 1.{{since}} (cluster runs {{version}}); use {{targets}}',
    optInUse:
      '{{apiVersion}} {{kind}} is a beta API that Kubernetes {{version}} serves only when the API server enables it (--runtime-config={{apiVersion}}=true); use {{targets}}',
    optInDeclare:
      '{{apiVersion}} {{kind}} is a beta API that Kubernetes {{version}} serves only when the API server enables it (--runtime-config={{apiVersion}}=true); ' +
      "if this cluster enables it, list it in the rule's customResources option",
    unknownKind: '{{apiVersion}} has no kind {{kind}} in Kubernetes {{version}}',
    unknownKindSimilar: '{{apiVersion}} has no kind {{kind}}; did you mean {{similar}}?',
    crdVersionNotServed: 'CustomResourceDefinition {{crd}} does not serve version {{crdVersion}} (served: false); {{advice}}',
    crdVersionMissing: 'CustomResourceDefinition {{crd}} has no version {{crdVersion}}; {{advice}}',
    unknownApi: "no built-in API or CustomResourceDefinition in this cluster defines {{apiVersion}} {{kind}}; install its CRD or list it in the rule's customResources option",
    unknownApiSimilar:
      'no built-in API or CustomResourceDefinition in this cluster defines {{apiVersion}} {{kind}}; did you mean {{similar}}? ' +
      "Otherwise install its CRD or list it in the rule's customResources option",
  },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      wellKnownCustomResources: {
        ...CUSTOM_RESOURCE_LISTS_SCHEMA,
        description: 'Custom resources of widely used operators (Flux, Argo CD, cert-manager...) accepted without their CRD; replace to narrow it',
      },
      customResources: {
        ...CUSTOM_RESOURCE_LISTS_SCHEMA,
        description: 'Further custom resources (and opt-in beta APIs) whose definitions are not rendered, as {apiVersion, kinds}',
      },
    },
  },
  defaultOptions: { wellKnownCustomResources: WELL_KNOWN_CUSTOM_RESOURCES, customResources: [] },
  check({ cluster, graph, options, report }) {
    const minor = kubernetesMinor(cluster.kubernetesVersion);
    if (minor === undefined) {
      report({ messageId: 'badKubernetesVersion', data: { cluster: cluster.name, version: cluster.kubernetesVersion } });
      return;
    }
    const version = cluster.kubernetesVersion;
    const crds = crdsOf(graph);
    const aggregated = aggregatedApiVersionsOf(graph);
    const declared = [...options.wellKnownCustomResources, ...options.customResources];

    for (const object of graph.all()) {
      const { apiVersion, kind } = object;
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
      const status = builtinStatus(apiVersion, kind, minor);
      const { group, version: objectVersion } = splitApiVersion(apiVersion);
      const migrateTo = (preferGroup: string) => servedApiVersionsFor(kind, minor, preferGroup, objectVersion);

      switch (status.status) {
        case 'served':
          continue;
        case 'removed': {
          const [target] = migrateTo(group);
          const advice = target ? `use ${target}` : (status.api.replacement ?? 'nothing replaces it');
          report({
            object,
            path: ['apiVersion'],
            messageId: 'removed',
            data: { apiVersion, kind, removed: status.removed, version, advice },
            fix: target ? `apiVersion: ${target}` : undefined,
          });
          continue;
        }
        case 'not-yet-served': {
          const targets = migrateTo(group);
          report({
            object,
            path: ['apiVersion'],
            messageId: targets.length ? 'notYetServedUse' : 'notYetServed',
            data: { apiVersion, kind, since: status.since, version, targets: orList(targets) },
            fix: targets.length ? `apiVersion: ${targets[0]}` : undefined,
          });
          continue;
        }
        case 'opt-in': {
          if (listsInclude(declared, apiVersion, kind)) continue;
          const targets = migrateTo(group);
          report({
            object,
            path: ['apiVersion'],
            messageId: targets.length ? 'optInUse' : 'optInDeclare',
            data: { apiVersion, kind, version, targets: orList(targets) },
            fix: targets.length ? `apiVersion: ${targets[0]}` : undefined,
          });
          continue;
        }
        case 'unknown-kind': {
          const similar = status.kinds.find((k) => k.toLowerCase() === kind.toLowerCase());
          report({
            object,
            path: ['kind'],
            messageId: similar ? 'unknownKindSimilar' : 'unknownKind',
            data: { apiVersion, kind, similar: similar ?? '', version },
            fix: similar ? `kind: ${similar}` : undefined,
          });
          continue;
        }
        case 'unknown':
          break;
      }

      if (aggregated.has(apiVersion) || listsInclude(declared, apiVersion, kind)) continue;
      const crd = crds.get(`${group}/${kind}`);
      if (crd) {
        const definedVersion = crd.versions.find((v) => v.name === objectVersion);
        if (definedVersion?.served) continue;
        const served = crd.versions.filter((v) => v.served).map((v) => `${group}/${v.name}`);
        const crdName = crd.object.metadata.name ?? `${kind}.${group}`;
        report({
          object,
          path: ['apiVersion'],
          messageId: definedVersion ? 'crdVersionNotServed' : 'crdVersionMissing',
          data: { crd: crdName, crdVersion: objectVersion, advice: served.length ? `use ${orList(served)}` : 'it serves no version' },
          fix: served.length ? `apiVersion: ${served[0]}` : undefined,
          related: [{ message: `the CustomResourceDefinition of ${group} ${kind}`, object: crd.object, path: ['spec', 'versions'] }],
        });
        continue;
      }
      const otherVersions = declared.filter((list) => splitApiVersion(list.apiVersion).group === group && list.kinds.includes(kind)).map((list) => list.apiVersion);
      report({
        object,
        path: ['apiVersion'],
        messageId: otherVersions.length ? 'unknownApiSimilar' : 'unknownApi',
        data: { apiVersion, kind, similar: orList([...new Set(otherVersions)]) },
      });
    }
  },
});
