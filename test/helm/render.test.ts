// Helm rendering end to end with the real helm: a chart repository served on 127.0.0.1, Flux HelmReleases and Argo CD
// Helm sources in a temporary GitOps repository, the chart cache, --offline, and findings located in the repository.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckResult } from '../../tools/lib/render/run-check.ts';
import { findHelm } from '../../tools/lib/helm/helm-binary.ts';
import { cachedChartFile, fetchChart } from '../../tools/lib/helm/chart-cache.ts';
import { createSourceReader, locate } from '../../tools/lib/core/locate.ts';
import readOnlyRootFs from '../../policies/security-read-only-root-fs.ts';
import requestsLimits from '../../policies/resources-requests-limits.ts';
import { runCli } from '../helpers/cli.ts';
import { execFileSync } from 'node:child_process';
import { closedPort, findRegistry, serveChartRepository, startRegistry, writeChart, writeRepository, type ChartRepository, type OciRegistry } from '../helpers/helm-repo.ts';

const lookup = await findHelm();
if (!lookup.found) console.warn(`helm tests skipped: ${lookup.reason} (or install Go: .ci/run builds helm with go install)`);
const helm = lookup.found ? lookup.helm.command : '';

const WEBAPP = {
  'Chart.yaml': 'apiVersion: v2\nname: webapp\nversion: 1.2.0\n',
  'values.yaml': 'replicas: 1\nimage: nginx:1.27.0\nsecurityContext:\n  readOnlyRootFilesystem: true\nresources: {}\npodLabels: {}\n',
  'crds/widgets.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, plural: widgets, singular: widget }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object } }
`,
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: { app: {{ .Release.Name }} }
  template:
    metadata:
      labels:
        app: {{ .Release.Name }}
        {{- with .Values.podLabels }}{{ toYaml . | nindent 8 }}{{ end }}
    spec:
      containers:
        - name: web
          image: {{ .Values.image }}
          securityContext: {{- toYaml .Values.securityContext | nindent 12 }}
          resources: {{- toYaml .Values.resources | nindent 12 }}
`,
  'templates/capabilities.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-capabilities
data:
  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
  hasGadget: {{ .Capabilities.APIVersions.Has "example.org/v1/Gadget" | quote }}
`,
};

/** A chart that refuses to render without a value. */
const STRICT = {
  'Chart.yaml': 'apiVersion: v2\nname: strict\nversion: 0.1.0\n',
  'templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required "strict needs values.greeting" .Values.greeting }}\n',
};

const CONFIG = `repository:
  urls: [https://github.com/example/fleet.git]
clusters:
  flux: { kubernetesVersion: "1.31" }
`;

/** The Flux cluster: a HelmRepository, values in a ConfigMap and a Secret, and a HelmRelease with every option we read. */
function fluxRelease(repoUrl: string): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.org
spec:
  group: example.org
  names: { kind: Gadget, plural: gadgets }
  scope: Cluster
  versions:
    - { name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object } } }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: local
  namespace: apps
spec:
  url: ${repoUrl}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-values
  namespace: apps
data:
  values.yaml: |
    image: nginx:1.27.1
    podLabels:
      team: web
---
apiVersion: v1
kind: Secret
metadata:
  name: web-replicas
  namespace: apps
stringData:
  replicas: "3"
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 1h
  targetNamespace: web
  chart:
    spec:
      chart: webapp
      version: 1.2.0
      sourceRef:
        kind: HelmRepository
        name: local
  valuesFrom:
    - kind: ConfigMap
      name: web-values
    - kind: Secret
      name: web-replicas
      valuesKey: replicas
      targetPath: replicas
    - kind: ConfigMap
      name: made-elsewhere
      optional: true
  values:
    securityContext:
      readOnlyRootFilesystem: false
  postRenderers:
    - kustomize:
        patches:
          - target: { kind: Deployment }
            patch: |
              - op: add
                path: /metadata/annotations
                value: { post-rendered: "yes" }
`;
}

/** The Argo CD cluster: a multi-source Application, chart from the chart repository, values from this repository. */
function argoApplication(repoUrl: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
  namespace: argocd
spec:
  project: default
  sources:
    - repoURL: ${repoUrl}
      chart: webapp
      targetRevision: 1.2.0
      helm:
        releaseName: storefront
        skipCrds: true
        valueFiles:
          - $values/values/shop.yaml
        valuesObject:
          securityContext:
            readOnlyRootFilesystem: false
        parameters:
          - name: replicas
            value: "2"
    - repoURL: https://github.com/example/fleet.git
      targetRevision: main
      ref: values
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
  syncPolicy:
    syncOptions: [CreateNamespace=true]
    managedNamespaceMetadata:
      labels:
        pod-security.kubernetes.io/enforce: baseline
`;
}

function gitopsRepository(repoUrl: string, extra: Record<string, string> = {}): string {
  return writeRepository({
    'policies/config.yaml': CONFIG,
    'clusters/flux/kustomization.yaml': 'resources: [release.yaml]\n',
    'clusters/flux/release.yaml': fluxRelease(repoUrl),
    'clusters/argo/kustomization.yaml': 'resources: [shop.yaml]\n',
    'clusters/argo/shop.yaml': argoApplication(repoUrl),
    'values/shop.yaml': 'image: nginx:1.27.2\n',
    ...extra,
  });
}

const objectsOf = (result: CheckResult, cluster: string) => result.clusters.find((c) => c.rendered.name === cluster)!.rendered.objects;
const find = (result: CheckResult, cluster: string, kind: string, name: string) => objectsOf(result, cluster).find((o) => o.object.kind === kind && o.object.metadata.name === name);

describe.skipIf(!lookup.found)('Helm rendering with the real helm', () => {
  let repo: ChartRepository;
  let root: string;
  let cache: string;
  let result: CheckResult;
  const savedOffline = process.env.POLICY_CHECK_OFFLINE;

  beforeAll(async () => {
    process.env.POLICY_CHECK_OFFLINE = '0';
    repo = await serveChartRepository(helm, [writeChart(WEBAPP)]);
    root = gitopsRepository(repo.url);
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-cache-'));
    result = await runCheck({ root, rules: [readOnlyRootFs, requestsLimits], helm: { chartCache: cache } });
  }, 120_000);

  afterAll(async () => {
    process.env.POLICY_CHECK_OFFLINE = savedOffline;
    await repo?.close();
  });

  it('lists each release as rendered, with its chart and object count, and none as skipped', () => {
    const flux = result.report.clusters.find((c) => c.name === 'flux')!;
    const argo = result.report.clusters.find((c) => c.name === 'argo')!;
    expect(flux.helmReleases).toEqual([
      { name: 'HelmRelease apps/web', chart: `webapp 1.2.0 from ${repo.url}`, objectCount: 3, declaredIn: { file: 'clusters/flux/release.yaml', line: 47, column: 3 } },
    ]);
    expect(argo.helmReleases).toEqual([
      { name: 'Application argocd/shop (source 1)', chart: `webapp 1.2.0 from ${repo.url}`, objectCount: 2, declaredIn: { file: 'clusters/argo/shop.yaml', line: 10, column: 7 } },
    ]);
    expect(flux.skipped.filter((s) => s.kind !== 'entry point')).toEqual([]);
    expect(argo.skipped).toEqual([]);
  });

  it('Flux: valuesFrom in order (ConfigMap, Secret at targetPath, a missing optional one), inline values last, targetNamespace and the default release name', () => {
    const deployment = find(result, 'flux', 'Deployment', 'web-web')!.object as any;
    expect(deployment.metadata.namespace).toBe('web');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.metadata.labels).toEqual({ app: 'web-web', team: 'web' });
    expect(deployment.spec.template.spec.containers[0].image).toBe('nginx:1.27.1');
    expect(deployment.spec.template.spec.containers[0].securityContext).toEqual({ readOnlyRootFilesystem: false });
  });

  it('Flux: install.crds (default Create) brings the chart\'s crds/, and postRenderers patch helm\'s output', () => {
    expect(find(result, 'flux', 'CustomResourceDefinition', 'widgets.example.com')).toBeDefined();
    expect(find(result, 'flux', 'Deployment', 'web-web')!.object.metadata.annotations).toEqual({ 'post-rendered': 'yes' });
  });

  it('renders for the cluster\'s Kubernetes version, with the cluster\'s CRDs among the API versions', () => {
    expect((find(result, 'flux', 'ConfigMap', 'web-web-capabilities')!.object as any).data).toEqual({ kubeVersion: 'v1.31.0', hasGadget: 'true' });
    // the argo cluster has no Gadget CRD and the default Kubernetes version
    expect((find(result, 'argo', 'ConfigMap', 'storefront-capabilities')!.object as any).data).toEqual({ kubeVersion: 'v1.33.0', hasGadget: 'false' });
  });

  it('Argo CD: valueFiles from a $values source, valuesObject over them, parameters over both, releaseName, skipCrds, destination namespace', () => {
    const deployment = find(result, 'argo', 'Deployment', 'storefront')!.object as any;
    expect(deployment.metadata.namespace).toBe('shop');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0].image).toBe('nginx:1.27.2');
    expect(deployment.spec.template.spec.containers[0].securityContext).toEqual({ readOnlyRootFilesystem: false });
    expect(find(result, 'argo', 'CustomResourceDefinition', 'widgets.example.com')).toBeUndefined();
  });

  it('Argo CD: CreateNamespace=true creates the destination namespace with managedNamespaceMetadata', () => {
    expect(find(result, 'argo', 'Namespace', 'shop')!.object).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } },
    });
  });

  it('findings in chart output point at the values line that set the field, else at the chart line of the reconciler', () => {
    const lines = result.report.findings.map((f) => `${f.cluster} ${f.rule} ${f.location?.file}:${f.location?.line}:${f.location?.column} ${f.message}`).sort();
    expect(lines).toEqual([
      'argo resources/requests-limits clusters/argo/shop.yaml:10:7 container "web" of Deployment shop/storefront sets no requests.cpu, requests.memory, limits.cpu, limits.memory and no LimitRange in namespace shop supplies them',
      'argo security/read-only-root-fs clusters/argo/shop.yaml:19:13 container "web" of Deployment shop/storefront sets securityContext.readOnlyRootFilesystem to false; it must be true',
      'flux resources/requests-limits clusters/flux/release.yaml:47:3 container "web" of Deployment web/web-web sets no requests.cpu, requests.memory, limits.cpu, limits.memory and no LimitRange in namespace web supplies them',
      'flux security/read-only-root-fs clusters/flux/release.yaml:66:7 container "web" of Deployment web/web-web sets securityContext.readOnlyRootFilesystem to false; it must be true',
    ]);
  });

  it('locates values from a ConfigMap key, a Secret targetPath and an Argo CD values file at their own lines', () => {
    const read = createSourceReader(root);
    const flux = find(result, 'flux', 'Deployment', 'web-web')!;
    const argo = find(result, 'argo', 'Deployment', 'storefront')!;
    const container = ['spec', 'template', 'spec', 'containers', 0];
    expect(locate(flux, [...container, 'image'], read)).toEqual({ file: 'clusters/flux/release.yaml', line: 27, column: 5 });
    expect(locate(flux, ['spec', 'replicas'], read)).toEqual({ file: 'clusters/flux/release.yaml', line: 37, column: 3 });
    expect(locate(flux, ['spec', 'template', 'metadata', 'labels', 'team'], read)).toEqual({ file: 'clusters/flux/release.yaml', line: 29, column: 7 });
    expect(locate(argo, [...container, 'image'], read)).toEqual({ file: 'values/shop.yaml', line: 1, column: 1 });
    expect(locate(argo, ['spec', 'replicas'], read)).toEqual({ file: 'clusters/argo/shop.yaml', line: 22, column: 13 });
  });

  it('pulls each chart once into the cache, then renders from it without the chart repository (--offline)', async () => {
    const file = cachedChartFile(cache, { repoUrl: repo.url, chart: 'webapp', version: '1.2.0' });
    expect(fs.existsSync(file)).toBe(true);
    expect(repo.requests.filter((r) => r.endsWith('.tgz'))).toEqual(['/webapp-1.2.0.tgz']);
    const offline = await runCheck({ root, rules: [readOnlyRootFs], helm: { chartCache: cache, offline: true } });
    expect(offline.report.clusters.map((c) => `${c.name}: ${(c.helmReleases ?? []).map((h) => `${h.name} ${h.objectCount}`).join(', ')}`)).toEqual([
      'argo: Application argocd/shop (source 1) 2',
      'flux: HelmRelease apps/web 3',
    ]);
    expect(repo.requests.filter((r) => r.endsWith('.tgz'))).toEqual(['/webapp-1.2.0.tgz']);
  });
});

describe.skipIf(!lookup.found)('Helm releases that cannot be rendered stay listed as skipped, and the run goes on', () => {
  let repo: ChartRepository;
  beforeAll(async () => {
    repo = await serveChartRepository(helm, [writeChart(WEBAPP), writeChart(STRICT)]);
  });
  afterAll(() => repo?.close());

  const SKIPPED = /^ {2}skipped .*$/gm;

  it('--offline with an empty cache: skipped with the cache folder named, exit 0', () => {
    const root = gitopsRepository(repo.url);
    const cache = path.join(root, 'no-cache-here');
    const run = runCli(['--offline', '--chart-cache', cache, '--rule', 'security/read-only-root-fs'], root, { POLICY_CHECK_OFFLINE: '0' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.match(SKIPPED)).toEqual([
      `  skipped Application argocd/shop (source 1): Helm chart webapp 1.2.0 from ${repo.url} is not in the chart cache ${cache} and --offline forbids pulling it (clusters/argo/shop.yaml:10)`,
      `  skipped HelmRelease apps/web: Helm chart webapp 1.2.0 from ${repo.url} is not in the chart cache ${cache} and --offline forbids pulling it (clusters/flux/release.yaml:47)`,
    ]);
  });

  it('helm missing: skipped with how to install it, exit 0', () => {
    const root = gitopsRepository(repo.url);
    const run = runCli(['--rule', 'security/read-only-root-fs', '--cluster', 'flux'], root, { HELM: '/nonexistent/helm', POLICY_CHECK_OFFLINE: '0' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.match(SKIPPED)).toEqual([
      '  skipped HelmRelease apps/web: Helm chart webapp 1.2.0 from ' +
        `${repo.url} is not rendered: HELM=/nonexistent/helm is not a working Helm 3; install it (go install helm.sh/helm/v3/cmd/helm@v3.22.0) to render Helm charts (clusters/flux/release.yaml:47)`,
    ]);
  });

  it('chart repository unreachable (HTTP and OCI): skipped with helm\'s reason, the other clusters still checked, exit 0', async () => {
    const port = await closedPort();
    const root = gitopsRepository(`http://127.0.0.1:${port}`, {
      'clusters/oci/kustomization.yaml': 'resources: [release.yaml]\n',
      'clusters/oci/release.yaml': `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: webapp
  namespace: apps
spec:
  url: oci://127.0.0.1:${port}/charts/webapp
  ref:
    tag: 1.2.0
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  chartRef:
    kind: OCIRepository
    name: webapp
`,
    });
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-cache-'));
    const run = runCli(['--chart-cache', cache, '--rule', 'security/read-only-root-fs', '--format', 'json'], root, { POLICY_CHECK_OFFLINE: '0' });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const skipped = report.clusters.flatMap((c: any) => c.skipped.map((s: any) => `${c.name}: ${s.name}: ${s.reason}`));
    expect(skipped).toHaveLength(3);
    expect(skipped[0]).toMatch(new RegExp(`^argo: Application argocd/shop \\(source 1\\): Helm chart webapp 1\\.2\\.0 from http://127\\.0\\.0\\.1:${port} could not be pulled: .*connection refused`));
    expect(skipped[1]).toMatch(new RegExp(`^flux: HelmRelease apps/web: Helm chart webapp 1\\.2\\.0 from http://127\\.0\\.0\\.1:${port} could not be pulled: .*connection refused`));
    expect(skipped[2]).toMatch(new RegExp(`^oci: HelmRelease apps/web: Helm chart webapp 1\\.2\\.0 from oci://127\\.0\\.0\\.1:${port}/charts could not be pulled: .*connection refused`));
    expect(fs.readdirSync(cache).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('a run pulls a chart once, and a pull that failed is not tried again for the next cluster (one run\'s memo); without the memo, every call pulls', async () => {
    const port = await closedPort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-pulls-'));
    const log = path.join(dir, 'helm-calls.log');
    const wrapper = path.join(dir, 'helm');
    fs.writeFileSync(wrapper, `#!/bin/sh\n[ "$1" = pull ] && echo "$1 $2" >> ${log}\nexec ${helm} "$@"\n`, { mode: 0o755 });
    const ref = { repoUrl: `http://127.0.0.1:${port}`, chart: 'webapp', version: '1.2.0' };
    const options = { cacheDir: path.join(dir, 'cache'), offline: false, helm: { command: wrapper, version: 'v3' } };
    const pulls = new Map();
    const first = await fetchChart(ref, { ...options, pulls });
    const second = await fetchChart(ref, { ...options, pulls });
    expect(first.ok).toBe(false);
    expect(second).toBe(first);
    expect(fs.readFileSync(log, 'utf8')).toBe('pull webapp\n');
    await fetchChart(ref, options);
    await fetchChart(ref, options);
    expect(fs.readFileSync(log, 'utf8')).toBe('pull webapp\npull webapp\npull webapp\n');
  });

  it('valuesFiles of a packaged chart: skipped (they are inside the archive), exit 0', () => {
    const root = gitopsRepository(repo.url);
    fs.writeFileSync(path.join(root, 'clusters/flux/release.yaml'), fluxRelease(repo.url).replace('version: 1.2.0', 'version: 1.2.0\n      valuesFiles: [values-in-chart.yaml]'));
    const run = runCli(['--rule', 'security/read-only-root-fs', '--cluster', 'flux', '--offline', '--chart-cache', path.join(root, 'x')], root, { POLICY_CHECK_OFFLINE: '0' });
    expect(run.code).toBe(0);
    expect(run.stdout.match(SKIPPED)).toEqual([
      '  skipped HelmRelease apps/web: Helm chart webapp 1.2.0 is not rendered: valuesFiles inside a packaged chart are not read; move them into values or valuesFrom (clusters/flux/release.yaml:47)',
    ]);
  });

  it('a chart helm cannot render with these values is a render/failed finding at the release, exit 1', async () => {
    const root = gitopsRepository(repo.url);
    fs.writeFileSync(path.join(root, 'clusters/flux/release.yaml'), fluxRelease(repo.url).replace('chart: webapp', 'chart: strict').replace('version: 1.2.0', 'version: 0.1.0'));
    // runCli blocks this process, and with it the chart repository's server: fill the cache first
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-cache-'));
    const pulled = await fetchChart({ repoUrl: repo.url, chart: 'strict', version: '0.1.0' }, { cacheDir: cache, offline: false, helm: (lookup as any).helm });
    expect(pulled).toEqual({ ok: true, file: cachedChartFile(cache, { repoUrl: repo.url, chart: 'strict', version: '0.1.0' }) });
    const run = runCli(['--rule', 'security/read-only-root-fs', '--cluster', 'flux', '--offline'], root, { POLICY_CHECK_CHART_CACHE: cache });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `  clusters/flux/release.yaml\n    47:3     error    render/failed                    HelmRelease apps/web: helm template of strict 0.1.0 from ${repo.url} failed: execution error at (strict/templates/config.yaml:4:11): strict needs values.greeting\n`,
    );
  });
});

const registryBinary = findRegistry();
if (lookup.found && !registryBinary) console.warn('OCI Helm test skipped: no registry binary (go install github.com/distribution/distribution/v3/cmd/registry@v3.0.0, or REGISTRY=...)');

describe.skipIf(!lookup.found || !registryBinary)('Helm charts from an OCI registry on 127.0.0.1', () => {
  let registry: OciRegistry;
  beforeAll(async () => {
    registry = await startRegistry(registryBinary!, await closedPort());
    const packaged = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-chart-'));
    execFileSync(helm, ['package', writeChart(WEBAPP), '--destination', packaged], { stdio: 'pipe' });
    execFileSync(helm, ['push', path.join(packaged, 'webapp-1.2.0.tgz'), `oci://${registry.host}/charts`, '--plain-http'], { stdio: 'pipe' });
  }, 60_000);
  afterAll(() => registry?.stop());

  it('Flux chartRef to an OCIRepository and a HelmRepository of type oci (insecure: plain HTTP): pulled once, rendered, then from the cache', () => {
    const root = writeRepository({
      'policies/config.yaml': CONFIG,
      'clusters/flux/kustomization.yaml': 'resources: [release.yaml]\n',
      'clusters/flux/release.yaml': `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: { name: webapp, namespace: apps }
spec:
  url: oci://${registry.host}/charts/webapp
  insecure: true
  ref: { tag: 1.2.0 }
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: by-ref, namespace: apps }
spec:
  chartRef: { kind: OCIRepository, name: webapp }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: { name: oci-charts, namespace: apps }
spec:
  type: oci
  insecure: true
  url: oci://${registry.host}/charts
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: by-repo, namespace: apps }
spec:
  install: { crds: Skip }
  chart:
    spec:
      chart: webapp
      version: 1.2.0
      sourceRef: { kind: HelmRepository, name: oci-charts }
`,
    });
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-cache-'));
    const run = runCli(['--chart-cache', cache, '--rule', 'security/read-only-root-fs'], root, { POLICY_CHECK_OFFLINE: '0' });
    expect(run.stderr).toBe('');
    expect(run.stdout.match(/^ {2}helm .*$/gm)).toEqual([
      `  helm HelmRelease apps/by-ref: webapp 1.2.0 from oci://${registry.host}/charts, 3 objects (clusters/flux/release.yaml:13)`,
      `  helm HelmRelease apps/by-repo: webapp 1.2.0 from oci://${registry.host}/charts, 2 objects (clusters/flux/release.yaml:28)`,
    ]);
    expect(run.code).toBe(0);
    expect(fs.existsSync(cachedChartFile(cache, { repoUrl: `oci://${registry.host}/charts`, chart: 'webapp', version: '1.2.0' }))).toBe(true);
    registry.stop();
    const offline = runCli(['--chart-cache', cache, '--offline', '--rule', 'security/read-only-root-fs'], root, { POLICY_CHECK_OFFLINE: '0' });
    expect(offline.code).toBe(0);
    expect(offline.stdout.match(/^ {2}helm .*$/gm)).toHaveLength(2);
  });
});
