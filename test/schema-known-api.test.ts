import { describe, expect, it } from 'vitest';
import { withMarkers, ruleTester, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/schema-known-api.ts';
import { BUILTIN_APIS, builtinStatus, kubernetesMinor, servedApiVersionsFor, splitApiVersion } from '../tools/lib/schema/api-catalog.ts';

const pdb = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  minAvailable: 1
`;

const crd = (versions: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget }
  versions:
${versions}`;

const widget = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: Widget
metadata:
  name: blue
  namespace: shop
`;

ruleTester(rule, {
  valid: [
    {
      name: 'built-ins the cluster serves',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: { name: ports, namespace: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: shop }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: no-latest }
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: { name: workers }
`,
    },
    { name: 'policy/v1beta1 PodDisruptionBudget on 1.24, before its removal', yaml: pdb('policy/v1beta1'), cluster: { kubernetesVersion: '1.24' } },
    { name: 'a version string with a patch and a v prefix', yaml: pdb('policy/v1'), cluster: { kubernetesVersion: 'v1.33.4' } },
    {
      name: 'custom resource whose CRD is rendered in the same cluster',
      yaml: `${crd('    - { name: v1alpha1, served: false, storage: false }\n    - { name: v1, served: true, storage: true }\n')}---\n${widget('example.com/v1')}`,
    },
    {
      name: 'well-known CRDs installed by Helm charts (default option)',
      yaml: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: cert-manager, namespace: cert-manager }
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: { name: letsencrypt }
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: { name: db, namespace: shop }
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: web, namespace: shop }
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: shop, namespace: argocd }
`,
    },
    {
      name: 'CRD declared in the customResources option',
      yaml: `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: shop }
`,
      options: { customResources: [{ apiVersion: 'gateway.networking.k8s.io/v1', kinds: ['Gateway', 'HTTPRoute'] }] },
    },
    {
      name: 'opt-in beta API the cluster enables, declared in customResources',
      yaml: `apiVersion: resource.k8s.io/v1beta2
kind: DeviceClass
metadata: { name: gpu }
`,
      options: { customResources: [{ apiVersion: 'resource.k8s.io/v1beta2', kinds: ['DeviceClass'] }] },
    },
    {
      name: 'kinds of an aggregated API rendered as an APIService',
      yaml: `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1beta1.custom.metrics.k8s.io }
spec:
  group: custom.metrics.k8s.io
  version: v1beta1
  service: { name: prometheus-adapter, namespace: monitoring }
  groupPriorityMinimum: 100
  versionPriority: 100
---
apiVersion: custom.metrics.k8s.io/v1beta1
kind: MetricValueList
metadata: { name: anything, namespace: monitoring }
`,
    },
    ...casesFoundByMutation().valid,
  ],
  invalid: [
    {
      name: 'removed API, with the version that replaces it',
      yaml: withMarkers(`apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n---\n${pdb('policy/v1beta1')}`, '⟦1⟧apiVersion: policy/v1beta1'),
      findings: [
        { at: '1', object: 'PodDisruptionBudget shop/web', path: 'apiVersion', messageId: 'removed', data: { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', removed: 25, version: '1.33', advice: 'use policy/v1' } },
      ],
    },
    {
      name: 'removed API replaced by another group',
      yaml: withMarkers(`⟦2⟧apiVersion: extensions/v1beta1
kind: Ingress
metadata: { name: web, namespace: shop }
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: { name: web, namespace: shop }
`, '---\n⟦1⟧apiVersion: extensions/v1beta1'),
      findings: [
        { at: '2', object: 'Ingress shop/web', path: 'apiVersion', messageId: 'removed', data: { apiVersion: 'extensions/v1beta1', kind: 'Ingress', removed: 22, version: '1.33', advice: 'use networking.k8s.io/v1' } },
        { at: '1', object: 'Deployment shop/web', path: 'apiVersion', messageId: 'removed', data: { apiVersion: 'extensions/v1beta1', kind: 'Deployment', removed: 16, version: '1.33', advice: 'use apps/v1' } },
      ],
    },
    {
      name: 'removed API with no successor',
      yaml: `⟦1⟧apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata: { name: restricted }
`,
      findings: [
        { at: '1', object: 'PodSecurityPolicy restricted', path: 'apiVersion', messageId: 'removed', data: { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', removed: 25, version: '1.33', advice: 'Pod Security admission replaces it: label the namespace pod-security.kubernetes.io/enforce' } },
      ],
    },
    {
      name: 'flow control v1beta3 on 1.32',
      yaml: `⟦1⟧apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: PriorityLevelConfiguration
metadata: { name: workers }
`,
      cluster: { kubernetesVersion: '1.32' },
      findings: [
        { at: '1', object: 'PriorityLevelConfiguration workers', path: 'apiVersion', messageId: 'removed', data: { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'PriorityLevelConfiguration', removed: 32, version: '1.32', advice: 'use flowcontrol.apiserver.k8s.io/v1' } },
      ],
    },
    {
      name: 'not yet served on an older cluster',
      yaml: `⟦1⟧apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: shop }
`,
      cluster: { kubernetesVersion: '1.22' },
      findings: [
        { at: '1', object: 'HorizontalPodAutoscaler shop/web', path: 'apiVersion', messageId: 'notYetServedUse', data: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', since: 23, version: '1.22', targets: 'autoscaling/v2beta2, autoscaling/v2beta1 or autoscaling/v1' } },
      ],
    },
    {
      name: 'opt-in beta API that the cluster does not declare',
      yaml: `⟦1⟧apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaimTemplate
metadata: { name: gpu, namespace: shop }
`,
      cluster: { kubernetesVersion: '1.35' },
      findings: [
        { at: '1', object: 'ResourceClaimTemplate shop/gpu', path: 'apiVersion', messageId: 'optInUse', data: { apiVersion: 'resource.k8s.io/v1beta1', kind: 'ResourceClaimTemplate', version: '1.35', targets: 'resource.k8s.io/v1' } },
      ],
    },
    {
      name: 'unknown custom resource kind',
      yaml: `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
⟦1⟧apiVersion: example.com/v1
kind: Gadget
metadata: { name: blue, namespace: shop }
`,
      findings: [
        { at: '1', object: 'Gadget shop/blue', path: 'apiVersion', messageId: 'unknownApi', data: { apiVersion: 'example.com/v1', kind: 'Gadget' } },
      ],
    },
    {
      name: "kind's own cluster configuration is not a cluster object",
      yaml: `kind: Cluster
⟦1⟧apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
`,
      findings: [
        { at: '1', object: 'Cluster default/', path: 'apiVersion', messageId: 'unknownApi', data: { apiVersion: 'kind.x-k8s.io/v1alpha4', kind: 'Cluster' } },
      ],
    },
    {
      name: 'well-known CRD at a version it does not have',
      yaml: `⟦1⟧apiVersion: external-secrets.io/v1beta2
kind: ExternalSecret
metadata: { name: db, namespace: shop }
`,
      findings: [
        { at: '1', object: 'ExternalSecret shop/db', path: 'apiVersion', messageId: 'unknownApiSimilar', data: { apiVersion: 'external-secrets.io/v1beta2', kind: 'ExternalSecret', similar: 'external-secrets.io/v1 or external-secrets.io/v1beta1' } },
      ],
    },
    {
      name: 'CRD version not served',
      yaml: withMarkers(`${crd('    - { name: v1alpha1, served: false, storage: false }\n    - { name: v1, served: true, storage: true }\n')}---\n${widget('example.com/v1alpha1')}`, '⟦1⟧apiVersion: example.com/v1alpha1'),
      findings: [
        { at: '1', object: 'Widget shop/blue', path: 'apiVersion', messageId: 'crdVersionNotServed', data: { crd: 'widgets.example.com', crdVersion: 'v1alpha1', advice: 'use example.com/v1' } },
      ],
    },
    {
      name: 'CRD version that the CRD does not define',
      yaml: withMarkers(`${crd('    - { name: v1, served: true, storage: true }\n')}---\n${widget('example.com/v2')}`, '⟦1⟧apiVersion: example.com/v2'),
      findings: [
        { at: '1', object: 'Widget shop/blue', path: 'apiVersion', messageId: 'crdVersionMissing', data: { crd: 'widgets.example.com', crdVersion: 'v2', advice: 'use example.com/v1' } },
      ],
    },
    {
      name: 'a built-in group/version without that kind points at the kind',
      yaml: `apiVersion: apps/v1
⟦1⟧kind: deployment
metadata: { name: web, namespace: shop }
`,
      findings: [
        { at: '1', object: 'deployment shop/web', path: 'kind', messageId: 'unknownKindSimilar', data: { apiVersion: 'apps/v1', kind: 'deployment', similar: 'Deployment' } },
      ],
    },
    {
      name: 'a kubernetesVersion that is no version is one cluster-wide finding',
      cluster: { kubernetesVersion: 'latest' },
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: shop }\n',
      findings: [{ unlocated: true, messageId: 'badKubernetesVersion', data: { cluster: 'test', version: 'latest' } }],
    },
    {
      name: 'an API newer than the cluster with nothing older to use instead',
      cluster: { kubernetesVersion: '1.30' },
      yaml: '⟦1⟧apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: { name: gpu }\n',
      findings: [
        { at: '1', object: 'DeviceClass gpu', path: 'apiVersion', messageId: 'notYetServed', data: { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', since: 34, version: '1.30' } },
      ],
    },
    {
      name: 'an opt-in beta API with no GA version yet: declare it when the cluster enables it',
      cluster: { kubernetesVersion: '1.33' },
      yaml: '⟦1⟧apiVersion: storage.k8s.io/v1beta1\nkind: VolumeAttributesClass\nmetadata: { name: fast }\n',
      findings: [
        { at: '1', object: 'VolumeAttributesClass fast', path: 'apiVersion', messageId: 'optInDeclare', data: { apiVersion: 'storage.k8s.io/v1beta1', kind: 'VolumeAttributesClass', version: '1.33' } },
      ],
    },
    {
      name: 'a built-in group/version without that kind, nothing similar',
      cluster: { kubernetesVersion: '1.33' },
      yaml: 'apiVersion: apps/v1\n⟦1⟧kind: Widget\nmetadata: { name: w, namespace: shop }\n',
      findings: [{ at: '1', object: 'Widget shop/w', path: 'kind', messageId: 'unknownKind', data: { apiVersion: 'apps/v1', kind: 'Widget', version: '1.33' } }],
    },
    ...casesFoundByMutation().invalid,
  ],
});

describe('api catalogue', () => {
  const status = (apiVersion: string, kind: string, version: string) => builtinStatus(apiVersion, kind, kubernetesMinor(version)!).status;

  it('knows the removals of the deprecation guide', () => {
    expect(status('extensions/v1beta1', 'Deployment', '1.15')).toBe('served');
    expect(status('extensions/v1beta1', 'Deployment', '1.16')).toBe('removed');
    expect(status('extensions/v1beta1', 'Ingress', '1.21')).toBe('served');
    expect(status('networking.k8s.io/v1beta1', 'Ingress', '1.22')).toBe('removed');
    expect(status('batch/v1beta1', 'CronJob', '1.24')).toBe('served');
    expect(status('batch/v1beta1', 'CronJob', '1.25')).toBe('removed');
    expect(status('policy/v1beta1', 'PodSecurityPolicy', '1.25')).toBe('removed');
    expect(status('autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.25')).toBe('served');
    expect(status('autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26')).toBe('removed');
    expect(status('storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.27')).toBe('removed');
    expect(status('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', '1.28')).toBe('served');
    expect(status('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', '1.29')).toBe('removed');
    expect(status('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.31')).toBe('served');
    expect(status('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32')).toBe('removed');
  });

  it('knows when stable APIs started being served', () => {
    expect(status('networking.k8s.io/v1', 'Ingress', '1.18')).toBe('not-yet-served');
    expect(status('networking.k8s.io/v1', 'Ingress', '1.19')).toBe('served');
    expect(status('autoscaling/v2', 'HorizontalPodAutoscaler', '1.23')).toBe('served');
    expect(status('policy/v1', 'PodDisruptionBudget', '1.20')).toBe('not-yet-served');
    expect(status('flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', '1.29')).toBe('served');
    expect(status('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', '1.29')).toBe('not-yet-served');
    expect(status('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', '1.30')).toBe('served');
    expect(status('resource.k8s.io/v1', 'ResourceClaim', '1.34')).toBe('served');
    expect(status('resource.k8s.io/v1beta1', 'ResourceClaim', '1.33')).toBe('opt-in');
  });

  it('tells an unknown group from an unknown kind of a built-in group', () => {
    expect(status('example.com/v1', 'Widget', '1.33')).toBe('unknown');
    expect(builtinStatus('v1', 'Pods', 33)).toEqual({ status: 'unknown-kind', kinds: expect.arrayContaining(['Pod', 'Service']) });
  });

  it('serves every kind people deploy from some stable version at 1.33', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Ingress', 'IngressClass', 'NetworkPolicy', 'PodDisruptionBudget',
      'HorizontalPodAutoscaler', 'Role', 'ClusterRoleBinding', 'PriorityClass', 'RuntimeClass', 'Lease', 'EndpointSlice', 'StorageClass', 'CSIDriver',
      'CustomResourceDefinition', 'APIService', 'CertificateSigningRequest', 'MutatingWebhookConfiguration', 'FlowSchema', 'Service', 'Secret']) {
      expect(servedApiVersionsFor(kind, 33), kind).not.toEqual([]);
    }
  });

  it('suggests the closest served version first', () => {
    expect(servedApiVersionsFor('PodDisruptionBudget', 33, 'policy', 'v1beta1')).toEqual(['policy/v1']);
    expect(servedApiVersionsFor('HorizontalPodAutoscaler', 33, 'autoscaling', 'v2beta2')).toEqual(['autoscaling/v2', 'autoscaling/v1']);
    expect(servedApiVersionsFor('Event', 33, 'events.k8s.io', 'v1beta1')).toEqual(['events.k8s.io/v1']);
    expect(servedApiVersionsFor('Ingress', 33, 'extensions', 'v1beta1')).toEqual(['networking.k8s.io/v1']);
    expect(servedApiVersionsFor('PodSecurityPolicy', 33, 'policy')).toEqual([]);
  });

  it('has well-formed entries', () => {
    for (const api of BUILTIN_APIS) {
      expect(api.version).toMatch(/^v\d+((alpha|beta)\d+)?$/);
      if (api.removed !== undefined) expect(api.removed).toBeGreaterThan(api.since);
      expect(api.kinds.every((k) => /^[A-Z][A-Za-z]+$/.test(k))).toBe(true);
    }
  });

  it('parses versions', () => {
    expect(kubernetesMinor('1.33')).toBe(33);
    expect(kubernetesMinor('v1.29.4+k3s1')).toBe(29);
    expect(kubernetesMinor('2.0')).toBeUndefined();
    expect(kubernetesMinor('latest')).toBeUndefined();
    expect(splitApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(splitApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
  });
});

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-schema.test.ts.
function casesFoundByMutation(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
// APIService v1.things.example.io (`spec` is its further spec lines, each ending with a newline), then Thing things/a on line 8 (one later per spec line).
const thingsApi = (spec = '') => `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1.things.example.io }
spec:
  group: things.example.io
  version: v1
${spec}---
apiVersion: things.example.io/v1
kind: Thing
metadata: { name: a, namespace: things }
`;
return {
  valid: [
    {
      name: 'kinds of an aggregated API whose APIService names a backing Service',
      yaml: thingsApi('  service: { name: things-api, namespace: things }\n'),
    },
  ],
  invalid: [
    {
      name: 'an APIService without a service is a local registration, not an aggregated server: its kinds stay unknown',
      yaml: withMarkers(thingsApi(), '⟦1⟧apiVersion: things.example.io/v1'),
      findings: [
        { at: '1', object: 'Thing things/a', path: 'apiVersion', messageId: 'unknownApi', data: { apiVersion: 'things.example.io/v1', kind: 'Thing' } },
      ],
    },
  ],
};
}
