// Helm discovery and the pure parts of Helm rendering: what a HelmRelease / Argo CD source asks for, values merging,
// release names, the cache layout, capabilities and how findings in chart output are located. No helm binary needed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectsFromYaml } from '../../tools/lib/core/rule-tester.ts';
import { createSourceReader, locate } from '../../tools/lib/core/locate.ts';
import { discoverFrom, type DiscoverContext } from '../../tools/lib/render/discover.ts';
import { fluxReleaseName } from '../../tools/lib/helm/discover-helm.ts';
import { cachedChartFile, chartCacheDir, isExactVersion, repositoryFolder } from '../../tools/lib/helm/chart-cache.ts';
import { effectiveLeaves, mergeValues, parseSetPath, setValue, typedSetValue } from '../../tools/lib/helm/values.ts';
import { helmKubeVersion } from '../../tools/lib/helm/render-helm.ts';
import { clusterApiVersions } from '../../tools/lib/helm/capabilities.ts';
import { missingDependencies } from '../../tools/lib/helm/render-releases.ts';
import { locateHelmField } from '../../tools/lib/core/locate-helm.ts';

const FILE = 'clusters/x/release.yaml';

function discoverIn(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-discover-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  const read = createSourceReader(root);
  const objects = objectsFromYaml(files[FILE], FILE);
  const ctx: DiscoverContext = { root, cluster: 'x', known: objects, repositoryUrls: ['https://github.com/example/fleet.git'], where: (o, p) => locate(o, p, read) };
  return discoverFrom(objects, ctx);
}

const helmRepository = (url: string, type = '') => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: apps
spec:
  url: ${url}
${type}---
`;

describe('discover: Flux HelmRelease', () => {
  it('a chart from an OCI HelmRepository (type: oci) and dependsOn in the same namespace by default', () => {
    const found = discoverIn({
      [FILE]: `${helmRepository('oci://ghcr.io/example/charts', '  type: oci\n')}apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: api
  namespace: apps
spec:
  releaseName: api-live
  dependsOn:
    - name: db
    - name: cert-manager
      namespace: cert-manager
  install:
    crds: Skip
    disableHooks: true
  chart:
    spec:
      chart: api
      version: 2.0.1
      sourceRef: { kind: HelmRepository, name: charts }
`,
    });
    expect(found.skipped).toEqual([]);
    expect(found.problems).toEqual([]);
    const [release] = found.helm;
    expect(release.chart).toEqual({ kind: 'repository', ref: { repoUrl: 'oci://ghcr.io/example/charts', chart: 'api', version: '2.0.1' } });
    expect(release.releaseName).toBe('api-live');
    expect(release.includeCrds).toBe(false);
    expect(release.noHooks).toBe(true);
    expect(release.dependsOn).toEqual([{ name: 'db', namespace: 'apps' }, { name: 'cert-manager', namespace: 'cert-manager' }]);
    expect(release.declaredIn).toEqual({ file: FILE, line: 24, column: 3 });
  });

  it('chartRef to an OCIRepository: the chart is the artifact at its URL, the tag its version', () => {
    const found = discoverIn({
      [FILE]: `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: { name: podinfo, namespace: apps }
spec:
  url: oci://ghcr.io/stefanprodan/charts/podinfo
  ref: { tag: 6.7.1 }
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: podinfo, namespace: apps }
spec:
  chartRef: { kind: OCIRepository, name: podinfo }
`,
    });
    expect(found.helm.map((h) => [h.chartLabel, h.releaseName, h.declaredIn?.line])).toEqual([['podinfo 6.7.1 from oci://ghcr.io/stefanprodan/charts', 'podinfo', 12]]);
  });

  it('chartRef to a HelmChart with a HelmRepository source', () => {
    const found = discoverIn({
      [FILE]: `${helmRepository('https://charts.example.com')}apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: { name: api, namespace: apps }
spec:
  chart: api
  version: 1.0.0
  sourceRef: { kind: HelmRepository, name: charts }
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: api, namespace: apps }
spec:
  chartRef: { kind: HelmChart, name: api }
`,
    });
    expect(found.helm.map((h) => h.chartLabel)).toEqual(['api 1.0.0 from https://charts.example.com']);
  });

  it('a chart folder of this repository (GitRepository source) with valuesFiles, located line by line', () => {
    const found = discoverIn({
      'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
      'charts/api/values-prod.yaml': 'replicas: 4\nimage:\n  tag: "1.2"\n',
      [FILE]: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: flux-system, namespace: flux-system }
spec: { url: https://github.com/example/fleet.git }
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: api, namespace: flux-system }
spec:
  chart:
    spec:
      chart: ./charts/api
      valuesFiles: [charts/api/values-prod.yaml]
      sourceRef: { kind: GitRepository, name: flux-system }
`,
    });
    expect(found.helm[0].chart).toEqual({ kind: 'local', path: 'charts/api' });
    expect(found.helm[0].valueLeaves).toEqual([
      { path: ['replicas'], value: 4, location: { file: 'charts/api/values-prod.yaml', line: 1, column: 1 } },
      { path: ['image', 'tag'], value: '1.2', location: { file: 'charts/api/values-prod.yaml', line: 3, column: 3 } },
    ]);
  });

  it('what cannot be followed is skipped with the reason; what Flux would reject is a problem', () => {
    const release = (name: string, extra: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: ${name}, namespace: apps }
spec:
  chart:
    spec:
      chart: api
      version: 1.0.0
      sourceRef: { kind: HelmRepository, name: charts }
${extra}---
`;
    const found = discoverIn({
      [FILE]:
        helmRepository('https://charts.example.com') +
        `apiVersion: v1
kind: ConfigMap
metadata: { name: api-values, namespace: apps }
data:
  other.yaml: "a: 1"
  broken.yaml: "a: [1"
---
` +
        release('out-of-band', '  valuesFrom:\n    - { kind: Secret, name: made-by-external-secrets }\n') +
        release('no-key', '  valuesFrom:\n    - { kind: ConfigMap, name: api-values }\n') +
        release('bad-yaml', '  valuesFrom:\n    - { kind: ConfigMap, name: api-values, valuesKey: broken.yaml }\n') +
        release('bucket', '').replace('kind: HelmRepository, name: charts', 'kind: Bucket, name: charts'),
    });
    expect(found.helm).toEqual([]);
    expect(found.skipped.map((s) => `${s.name}: ${s.reason}`)).toEqual([
      'HelmRelease apps/out-of-band: Helm chart api 1.0.0 is not rendered: valuesFrom Secret apps/made-by-external-secrets is not in this repository for cluster x (created out of band? mark it optional: true if the release works without it)',
      'HelmRelease apps/bucket: Helm chart api 1.0.0 is not rendered: it comes from Bucket (HelmRelease apps/bucket); charts from HelmRepository and GitRepository sources are',
    ]);
    expect(found.problems.map((p) => `${p.entryPoint}: ${p.message} @${p.location?.line}`)).toEqual([
      'HelmRelease apps/no-key: valuesFrom ConfigMap apps/api-values has no key values.yaml; helm-controller would fail this release @32',
      'HelmRelease apps/bad-yaml: valuesFrom ConfigMap apps/api-values key broken.yaml is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 6 @44',
    ]);
  });
});

describe('discover: Argo CD Helm sources', () => {
  it('helm.values as a YAML string is located line by line; an OCI repoURL without scheme is oci://', () => {
    const found = discoverIn({
      [FILE]: `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: api, namespace: argocd }
spec:
  source:
    repoURL: ghcr.io/example/charts
    chart: api
    targetRevision: 3.1.0
    helm:
      values: |
        replicas: 2
        image:
          tag: "3.1"
  destination: { namespace: api }
`,
    });
    const [release] = found.helm;
    expect(release.chart).toEqual({ kind: 'repository', ref: { repoUrl: 'oci://ghcr.io/example/charts', chart: 'api', version: '3.1.0' } });
    expect(release.releaseName).toBe('api');
    expect(release.namespace).toBe('api');
    expect(release.valueLeaves).toEqual([
      { path: ['replicas'], value: 2, location: { file: FILE, line: 11, column: 9 } },
      { path: ['image', 'tag'], value: '3.1', location: { file: FILE, line: 13, column: 11 } },
    ]);
  });

  it('a $values file from another repository, and valueFiles inside a packaged chart, are skipped with the reason', () => {
    const found = discoverIn({
      [FILE]: `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: api, namespace: argocd }
spec:
  sources:
    - repoURL: https://charts.example.com
      chart: api
      targetRevision: 3.1.0
      helm: { valueFiles: [$cfg/api.yaml] }
    - repoURL: https://github.com/other/config.git
      ref: cfg
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: web, namespace: argocd }
spec:
  source:
    repoURL: https://charts.example.com
    chart: web
    targetRevision: 1.0.0
    helm: { valueFiles: [values-prod.yaml] }
`,
    });
    expect(found.skipped.map((s) => `${s.name}: ${s.reason}`)).toEqual([
      'Application argocd/api: Helm chart api 3.1.0 is not rendered: valueFiles $cfg/api.yaml come from https://github.com/other/config.git, not this repository',
      'Application argocd/web: Helm chart web 1.0.0 is not rendered: valueFiles values-prod.yaml is inside the packaged chart, which is not read; use a $ref to this repository or valuesObject',
    ]);
  });
});

describe('values', () => {
  it('merges maps key by key, replaces lists and scalars, keeps null so helm deletes the key', () => {
    expect(mergeValues({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3], e: null }, d: { x: 1 } })).toEqual({ a: { b: 1, c: [3], e: null }, d: { x: 1 } });
  });

  it('parses --set paths and types values as helm 3 does', () => {
    expect(parseSetPath('a.b\\.c[0].d')).toEqual(['a', 'b.c', 0, 'd']);
    expect(() => parseSetPath('a[x]')).toThrow('"x" is not a list index in "a[x]"');
    expect([typedSetValue('true'), typedSetValue('false'), typedSetValue('null'), typedSetValue('42'), typedSetValue('042'), typedSetValue('1.5'), typedSetValue('x')]).toEqual([true, false, null, 42, '042', '1.5', 'x']);
    expect(setValue({ a: 1 }, ['a', 'b', 0, 'c'], 'x')).toEqual({ a: { b: [{ c: 'x' }] } });
  });

  it('a later layer hides the earlier leaves at, under or above its path', () => {
    const leaves = effectiveLeaves([
      [{ path: ['a', 'b'], value: 1 }, { path: ['c'], value: 1 }, { path: ['d'], value: 1 }],
      [{ path: ['a'], value: 'x' }, { path: ['c', 'e'], value: 2 }],
    ]);
    expect(leaves).toEqual([{ path: ['d'], value: 1 }, { path: ['a'], value: 'x' }, { path: ['c', 'e'], value: 2 }]);
  });
});

describe('release names, versions, the cache layout, capabilities', () => {
  it('Flux names a release [targetNamespace-]name, shortened past 53 characters with a hash as helm-controller does', () => {
    expect(fluxReleaseName('web')).toBe('web');
    expect(fluxReleaseName('web', 'shop')).toBe('shop-web');
    const long = fluxReleaseName('a-very-long-helmrelease-name-for-testing', 'an-equally-long-target-namespace');
    expect(long).toHaveLength(53);
    expect(long).toBe('an-equally-long-target-namespace-a-very--05ab3ac5b30b' /* sha256sum of the full name, first 12 */);
  });

  it('helm gets a full semantic Kubernetes version', () => {
    expect([helmKubeVersion('1.33'), helmKubeVersion('v1.31.4'), helmKubeVersion('1.30.0-eks')]).toEqual(['v1.33.0', 'v1.31.4', 'v1.30.0']);
  });

  it('caches by repository URL (no scheme, no credentials) and chart-version, apart for OCI; ranges are not exact', () => {
    expect(repositoryFolder('/c', 'https://user:pw@charts.example.com/stable/')).toBe('/c/http/charts.example.com/stable');
    expect(cachedChartFile('/c', { repoUrl: 'oci://ghcr.io/org/charts', chart: 'api', version: '1.0.0' })).toBe('/c/oci/ghcr.io/org/charts/api-1.0.0.tgz');
    expect(repositoryFolder('/c', 'https://charts.example.com/../../etc')).toBe('/c/http/charts.example.com/etc');
    expect([isExactVersion('1.2.3'), isExactVersion('v1.16.2'), isExactVersion('1.0.0-rc.1'), isExactVersion('4.x'), isExactVersion('>=1.0.0'), isExactVersion('*')]).toEqual([true, true, true, false, false, false]);
    expect(chartCacheDir('/explicit')).toBe('/explicit');
  });

  it('API versions: what the Kubernetes release serves plus the served versions of the cluster\'s CRDs', () => {
    const crd = objectsFromYaml(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: gadgets.example.org }
spec:
  group: example.org
  names: { kind: Gadget }
  versions: [{ name: v1, served: true }, { name: v0, served: false }]
`, FILE);
    const at124 = clusterApiVersions('1.24', crd);
    expect(at124).toContain('policy/v1/PodDisruptionBudget');
    expect(at124).toContain('example.org/v1/Gadget');
    expect(at124).not.toContain('example.org/v0');
    expect(at124).toContain('autoscaling/v2beta2');
    expect(clusterApiVersions('1.26', [])).not.toContain('autoscaling/v2beta2');
  });

  it('dependsOn a HelmRelease the cluster does not have is a problem', () => {
    const objects = objectsFromYaml(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: db, namespace: apps }
spec: {}
`, FILE);
    const release = { name: 'HelmRelease apps/api', engine: 'flux', declaredIn: { file: FILE, line: 3, column: 1 }, dependsOn: [{ name: 'db', namespace: 'apps' }, { name: 'cache', namespace: 'apps' }] } as any;
    expect(missingDependencies([release], objects)).toEqual([
      { entryPoint: 'HelmRelease apps/api', message: 'dependsOn HelmRelease apps/cache, which is not in this cluster; helm-controller would never install this release', location: { file: FILE, line: 3, column: 1 } },
    ]);
  });
});

describe('locating findings in chart output', () => {
  const origin = {
    reconciler: 'HelmRelease apps/api',
    chart: 'api 1.0.0 from https://charts.example.com',
    declaredIn: { file: FILE, line: 9, column: 3 },
    values: [
      { path: ['controller', 'image', 'readOnlyRootFilesystem'], value: false, location: { file: FILE, line: 20, column: 9 } },
      { path: ['readOnlyRootFilesystem'], value: false, location: { file: FILE, line: 30, column: 5 } },
      { path: ['controller', 'replicaCount'], value: 2, location: { file: FILE, line: 22, column: 7 } },
    ],
  };
  const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 2, template: { spec: { containers: [{ securityContext: { readOnlyRootFilesystem: false }, image: 'x' }] } } } };
  const at = (p: (string | number)[]) => locateHelmField(origin, object, p);

  it('at the values leaf with the same trailing key and the same value', () => {
    expect(at(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem'])).toEqual({ file: FILE, line: 20, column: 9 });
  });

  it('at the reconciler when no values leaf wrote it (different key, different value, or the field is absent)', () => {
    expect(at(['spec', 'replicas'])).toEqual({ file: FILE, line: 9, column: 3 });
    expect(at(['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual({ file: FILE, line: 9, column: 3 });
    expect(at(['spec', 'template', 'spec', 'containers', 0, 'resources'])).toEqual({ file: FILE, line: 9, column: 3 });
    expect(at([])).toEqual({ file: FILE, line: 9, column: 3 });
  });
});
