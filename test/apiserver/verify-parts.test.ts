// The pure parts of npm run verify:apiserver: arguments, the release the Go modules build, the cache folder, the Pod
// built from a template, the CRDs installed, the warnings read from headers, and the table.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseVerifyArgs, UsageError } from '../../tools/lib/apiserver/options.ts';
import { buildCommands, binariesIn, cacheRoot, KUBE_APISERVER_MODULE, minorOf, releaseOfModules, requiredVersion, versionLdflags } from '../../tools/lib/apiserver/binaries.ts';
import { podFromTemplate } from '../../tools/lib/apiserver/pod-from-template.ts';
import { crdFromBundle, crdsToInstall, pluralOf } from '../../tools/lib/apiserver/crds.ts';
import { parseWarnings } from '../../tools/lib/apiserver/client.ts';
import { exitCodeOf, formatVerification } from '../../tools/lib/apiserver/table.ts';
import { initialQuotaStatus, installNamespaces, type ClusterVerification } from '../../tools/lib/apiserver/verify-cluster.ts';
import type { K8sObject } from '../../tools/lib/core/types.ts';
import type { CrdBundle } from '../../tools/lib/schema/crd-catalog.ts';

const REPO = path.resolve(import.meta.dirname, '../..');

describe('arguments', () => {
  it('defaults: build what is missing, every cluster, the default cache', () => {
    expect(parseVerifyArgs([])).toEqual({ root: undefined, clusters: [], cache: undefined, build: true, buildOnly: false, offline: false, chartCache: undefined, help: false });
  });

  it('reads every option, and VERIFY_APISERVER_CACHE only when --cache is absent', () => {
    expect(parseVerifyArgs(['--cluster', 'k3s', '--cluster', 'kind', '--no-build', '--offline', '--chart-cache', '/c', '--root', 'r'], { VERIFY_APISERVER_CACHE: '/env' }))
      .toEqual({ root: 'r', clusters: ['k3s', 'kind'], cache: '/env', build: false, buildOnly: false, offline: true, chartCache: '/c', help: false });
    expect(parseVerifyArgs(['--cache', '/flag'], { VERIFY_APISERVER_CACHE: '/env' }).cache).toBe('/flag');
    expect(parseVerifyArgs(['--build-only']).buildOnly).toBe(true);
  });

  it('refuses unknown options, contradictions and empty folders', () => {
    expect(() => parseVerifyArgs(['--clusters', 'k3s'])).toThrow(/^Unknown option '--clusters'/) // Node 22 and 24 add a hint after it;
    expect(() => parseVerifyArgs(['--no-build', '--build-only'])).toThrow('--no-build and --build-only contradict each other: --build-only builds');
    expect(() => parseVerifyArgs(['--cache', ' '])).toThrow('--cache needs a folder');
    expect(() => parseVerifyArgs(['k3s'])).toThrow(UsageError);
  });
});

describe('the release tools/apiserver builds', () => {
  it('reads a requirement from a single line or a block', () => {
    expect(requiredVersion('module x\n\nrequire k8s.io/kubernetes v1.33.13\n', 'k8s.io/kubernetes')).toBe('v1.33.13');
    expect(requiredVersion('module x\n\nrequire (\n\tfoo v1.0.0\n\tgo.etcd.io/etcd/server/v3 v3.5.21\n)\n', 'go.etcd.io/etcd/server/v3')).toBe('v3.5.21');
    expect(requiredVersion('module x\n', 'k8s.io/kubernetes')).toBeUndefined();
    expect(minorOf('v1.33.13')).toBe('1.33');
  });

  it('is the minor release policies/config.yaml gives every cluster, with every staging module replaced at the same patch', () => {
    const release = releaseOfModules();
    expect(release).toEqual({ kubernetes: 'v1.33.13', etcd: 'v3.5.21' });
    const config = parse(fs.readFileSync(path.join(REPO, 'policies/config.yaml'), 'utf8'));
    const versions = [config.defaults.kubernetesVersion, ...Object.values<any>(config.clusters).map((c) => c.kubernetesVersion ?? config.defaults.kubernetesVersion)];
    expect(new Set(versions.map(String))).toEqual(new Set([minorOf(release.kubernetes)]));
    const goMod = fs.readFileSync(path.join(KUBE_APISERVER_MODULE, 'go.mod'), 'utf8');
    const replaces = [...goMod.matchAll(/^\t(k8s\.io\/[\w-]+) => (k8s\.io\/[\w-]+) (v\S+)$/gm)];
    expect(replaces.length).toBe(31);
    for (const [, from, to, version] of replaces) {
      expect(to).toBe(from);
      expect(version).toBe('v0.33.13');
    }
  });

  it('builds into <cache>/<release>/, stamping the release into /version', () => {
    const binaries = binariesIn('/cache', releaseOfModules());
    expect(binaries).toEqual({ dir: '/cache/v1.33.13', kubeApiserver: '/cache/v1.33.13/kube-apiserver', etcd: '/cache/v1.33.13/etcd' });
    expect(buildCommands(binaries, releaseOfModules()).map((c) => [path.relative(REPO, c.cwd), ...c.args])).toEqual([
      ['tools/apiserver/etcd', 'build', '-o', '/cache/v1.33.13/etcd', '.'],
      ['tools/apiserver/kube-apiserver', 'build', '-ldflags', versionLdflags('v1.33.13'), '-o', '/cache/v1.33.13/kube-apiserver', 'k8s.io/kubernetes/cmd/kube-apiserver'],
    ]);
    expect(versionLdflags('v1.33.13')).toBe('-X k8s.io/component-base/version.gitVersion=v1.33.13 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=33 -X k8s.io/component-base/version.gitTreeState=clean');
  });

  it('keeps the cache outside the repository: --cache, else $XDG_CACHE_HOME, else ~/.cache', () => {
    expect(cacheRoot('/explicit', { XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe('/explicit');
    expect(cacheRoot(undefined, { XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe('/xdg/gitops-checker/apiserver');
    expect(cacheRoot(undefined, {}, '/home/u')).toBe('/home/u/.cache/gitops-checker/apiserver');
  });
});

const deployment = (extra: Record<string, unknown> = {}): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'api', image: 'api:1' }] } },
    ...extra,
  },
});

describe('one Pod per pod template', () => {
  it('takes the template labels, annotations and spec, in the workload namespace', () => {
    expect(podFromTemplate(deployment(), 'shop')).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api', namespace: 'shop', labels: { app: 'api' }, annotations: { a: 'b' } },
      spec: { containers: [{ name: 'api', image: 'api:1' }] },
    });
  });

  it('finds a CronJob template two levels down, and a declared custom workload kind', () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'j', image: 'j:1' }] } } } } } } as K8sObject;
    expect(podFromTemplate(cron, 'default')).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nightly', namespace: 'default' }, spec: { restartPolicy: 'Never', containers: [{ name: 'j', image: 'j:1' }] } });
    const worker = { apiVersion: 'batch.example.com/v1', kind: 'Worker', metadata: { name: 'w' }, spec: { pod: { spec: { containers: [{ name: 'w', image: 'w:1' }] } } } } as K8sObject;
    expect(podFromTemplate(worker, 'jobs')).toBeUndefined();
    expect(podFromTemplate(worker, 'jobs', [{ group: 'batch.example.com', kind: 'Worker', podTemplatePath: ['spec', 'pod'] }])?.spec).toEqual({ containers: [{ name: 'w', image: 'w:1' }] });
  });

  it('gives a StatefulSet pod the volumes its claim templates create, as the controller does', () => {
    const sts = {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
      spec: {
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }],
        template: { spec: { volumes: [{ name: 'config', configMap: { name: 'db' } }], containers: [{ name: 'db', image: 'db:1', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] } },
      },
    } as K8sObject;
    expect((podFromTemplate(sts, 'db')!.spec as any).volumes).toEqual([
      { name: 'config', configMap: { name: 'db' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } },
    ]);
    // the template itself is not changed
    expect((sts.spec as any).template.spec.volumes).toHaveLength(1);
  });

  it('makes none for a Pod (admitted as itself) or an object without a template', () => {
    expect(podFromTemplate({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } }, 'default')).toBeUndefined();
    expect(podFromTemplate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 'default')).toBeUndefined();
    expect(podFromTemplate(deployment({ template: 'oops' }), 'shop')).toBeUndefined();
  });
});

describe('CRDs', () => {
  it('derives plurals as Kubernetes resource names write them', () => {
    expect(['Certificate', 'ClusterPolicy', 'Prometheus', 'Ingress', 'Kustomization', 'Alertmanager', 'Gateway'].map(pluralOf))
      .toEqual(['certificates', 'clusterpolicies', 'prometheuses', 'ingresses', 'kustomizations', 'alertmanagers', 'gateways']);
  });

  const bundle: CrdBundle = {
    name: 'external-secrets',
    source: { repo: 'https://github.com/external-secrets/external-secrets', tag: 'v0.12.1', paths: [], generator: 'test' },
    crds: [
      { group: 'external-secrets.io', kind: 'ExternalSecret', scope: 'Namespaced', versions: [
        { name: 'v1alpha1', served: true, schema: { type: 'object' } },
        { name: 'v1beta1', served: true, schema: { type: 'object', properties: { spec: { type: 'object' } } } },
        { name: 'v1', served: false, schema: null },
      ] },
      { group: 'external-secrets.io', kind: 'PushSecret', scope: 'Namespaced', versions: [{ name: 'v1alpha1', served: true, schema: { type: 'object' } }] },
    ],
  };

  it('stores the highest served version; a version without a schema accepts any object', () => {
    expect(crdFromBundle(bundle.crds[0])).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'externalsecrets.external-secrets.io' },
      spec: {
        group: 'external-secrets.io',
        scope: 'Namespaced',
        names: { kind: 'ExternalSecret', listKind: 'ExternalSecretList', plural: 'externalsecrets', singular: 'externalsecret' },
        versions: [
          { name: 'v1alpha1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
          { name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } },
          { name: 'v1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
        ],
      },
    });
  });

  it('installs the rendered CRDs, and a bundled one only for a kind that is used and not rendered', () => {
    const renderedCrd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'pushsecrets.external-secrets.io' }, spec: { group: 'external-secrets.io', names: { kind: 'PushSecret', plural: 'pushsecrets' }, versions: [] } } as K8sObject;
    const used = [
      { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'e' } },
      { apiVersion: 'external-secrets.io/v1alpha1', kind: 'PushSecret', metadata: { name: 'p' } },
    ] as K8sObject[];
    expect(crdsToInstall([renderedCrd], [bundle], used).map((c) => [c.object.metadata.name, c.from])).toEqual([
      ['externalsecrets.external-secrets.io', 'external-secrets v0.12.1'],
      ['pushsecrets.external-secrets.io', 'rendered'],
    ]);
    expect(crdsToInstall([], [bundle], [])).toEqual([]);
  });
});

describe('what the server answers', () => {
  it('reads the text of each warning header', () => {
    expect(parseWarnings(['299 - "would violate PodSecurity \\"restricted:v1.33\\": runAsNonRoot != true"', '299 - "a", 299 - "b"'])).toEqual([
      'would violate PodSecurity "restricted:v1.33": runAsNonRoot != true',
      'a',
      'b',
    ]);
    expect(parseWarnings(undefined)).toEqual([]);
  });

  it('gives a quota the status its controller would write first, so quota admission can count', () => {
    expect(initialQuotaStatus({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { pods: '10', 'limits.cpu': '4' } } })).toEqual({ hard: { pods: '10', 'limits.cpu': '4' }, used: { pods: '0', 'limits.cpu': '0' } });
    expect(installNamespaces(['flux', 'path'])).toEqual(['flux-system']);
    expect(installNamespaces(['argocd'])).toEqual(['argocd']);
  });
});

describe('the table', () => {
  const clusters: ClusterVerification[] = [
    {
      cluster: 'k3s',
      objects: [
        { subject: 'Namespace shop', accepted: true, warnings: [] },
        { subject: 'Service shop/web', accepted: false, message: 'Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive', warnings: [] },
      ],
      pods: [{ subject: 'Pod shop/web (template of Deployment shop/web)', accepted: true, warnings: ['would violate nothing'] }],
      bundledCrds: 1,
      providedNamespaces: ['flux-system'],
    },
    { cluster: 'staging', objects: [{ subject: 'ConfigMap a/b', accepted: true, warnings: [] }], pods: [], bundledCrds: 0, providedNamespaces: [] },
  ];

  it('prints one row per cluster, a total, then every rejection and warning', () => {
    expect(formatVerification(clusters)).toBe([
      'cluster  objects  accepted  rejected  warned  pods  accepted  rejected  warned',
      'k3s            2         1         1       0     1         1         0       1',
      'staging        1         1         0       0     0         0         0       0',
      'total          3         2         1       0     1         1         0       1',
      "k3s: 1 CRD installed from schemas/crds; namespace the reconciler's install creates: flux-system",
      'staging: 0 CRDs installed from schemas/crds',
      '',
      'rejected (1):',
      '  k3s  Service shop/web: Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      '',
      'warnings (1):',
      '  k3s  Pod shop/web (template of Deployment shop/web): would violate nothing',
      '',
    ].join('\n'));
    expect(exitCodeOf(clusters)).toBe(1);
    expect(exitCodeOf([clusters[1]])).toBe(0);
  });
});
