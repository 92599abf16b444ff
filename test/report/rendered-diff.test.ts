import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ClusterDiff, K8sObject, Report } from '../../tools/lib/core/types.ts';
import { diffCluster, notCompared, withRenderedDiff } from '../../tools/lib/report/rendered-diff.ts';
import { canonicalLines, stripNoise } from '../../tools/lib/report/canonical-object.ts';

const objects = (yaml: string): K8sObject[] => parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject);
const side = (yaml: string) => ({ objects: objects(yaml), problems: [] });

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: service-ports
  namespace: shop
data:
  WEB_PORT: "8080"
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
`;

describe('diffCluster', () => {
  it('shows an added and a removed object in full, sorted by namespace, kind and name', () => {
    const diff = diffCluster(side(CONFIGMAP), side(DEPLOYMENT));
    expect(diff.status).toBe('changed');
    expect(diff.objects.map((o) => [o.change, o.object.kind, o.additions, o.deletions])).toEqual([
      ['removed', 'ConfigMap', 0, 7],
      ['added', 'Deployment', 12, 0],
    ]);
    expect(diff.objects[0].diff).toBe(`--- base: ConfigMap shop/service-ports
+++ /dev/null
@@ -1,7 +0,0 @@
-apiVersion: v1
-kind: ConfigMap
-metadata:
-  name: service-ports
-  namespace: shop
-data:
-  WEB_PORT: "8080"
`);
    expect(diff.objects[1].diff).toBe(`--- /dev/null
+++ head: Deployment shop/web
@@ -0,0 +1,12 @@
+apiVersion: apps/v1
+kind: Deployment
+metadata:
+  name: web
+  namespace: shop
+spec:
+  replicas: 2
+  template:
+    spec:
+      containers:
+        - image: nginx:1.27.0
+          name: web
`);
  });

  it('shows a changed field as a one-line change with context', () => {
    const diff = diffCluster(side(DEPLOYMENT), side(DEPLOYMENT.replace('nginx:1.27.0', 'nginx:1.27.1')));
    expect(diff.objects).toEqual([
      {
        change: 'changed',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' },
        diff: `--- base: Deployment shop/web
+++ head: Deployment shop/web
@@ -8,5 +8,5 @@
   template:
     spec:
       containers:
-        - image: nginx:1.27.0
+        - image: nginx:1.27.1
           name: web
`,
        additions: 1,
        deletions: 1,
      },
    ]);
  });

  it('ignores key order, object order and the annotations and labels reconcilers and the checker add', () => {
    const noisy = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - image: nginx:1.27.0
          name: web
  replicas: 2
metadata:
  namespace: shop
  name: web
  creationTimestamp: null
  annotations:
    config.kubernetes.io/origin: "path: apps/web/deployment.yaml"
    policy-check.dev/waivers: "- rule: x"
    argocd.argoproj.io/tracking-id: "shop:apps/Deployment:shop/web"
    kubectl.kubernetes.io/last-applied-configuration: "{}"
  labels:
    kustomize.toolkit.fluxcd.io/name: apps
    kustomize.toolkit.fluxcd.io/namespace: flux-system
status:
  replicas: 2
`;
    expect(diffCluster(side(`${DEPLOYMENT}---\n${CONFIGMAP}`), side(`${CONFIGMAP}---\n${noisy}`))).toEqual({ status: 'unchanged', objects: [] });
  });

  it('keeps a label a selector may use and shows an apiVersion move as a change of one object', () => {
    const before = `apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app.kubernetes.io/instance: web\n`;
    const diff = diffCluster(side(before), side(before.replace('v2beta2', 'v2').replace('instance: web', 'instance: web-2')));
    expect(diff.objects.map((o) => o.diff)).toEqual([
      `--- base: HorizontalPodAutoscaler shop/web
+++ head: HorizontalPodAutoscaler shop/web
@@ -1,7 +1,7 @@
-apiVersion: autoscaling/v2beta2
+apiVersion: autoscaling/v2
 kind: HorizontalPodAutoscaler
 metadata:
   name: web
   namespace: shop
   labels:
-    app.kubernetes.io/instance: web
+    app.kubernetes.io/instance: web-2
`,
    ]);
  });

  it('tells a custom resource from the built-in kind it shares a name with', () => {
    const core = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n`;
    const knative = `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n`;
    const diff = diffCluster(side(core), side(knative));
    expect(diff.objects.map((o) => [o.change, o.diff.split('\n').slice(0, 2).join(' | ')])).toEqual([
      ['removed', '--- base: Service shop/web | +++ /dev/null'],
      ['added', '--- /dev/null | +++ head: Service.serving.knative.dev shop/web'],
    ]);
  });

  it("never prints a Secret's values: placeholders, marked where the value changed", () => {
    const secret = (password: string, extra = '') => `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
type: Opaque
data:
  password: ${password}
  user: YWRtaW4=${extra}
stringData:
  token: s3cr3t-token
`;
    const diff = diffCluster(side(secret('aHVudGVyMg==')), side(secret('Y29ycmVjdA==', '\n  host: ZGIuc2hvcA==')));
    expect(diff.objects).toHaveLength(1);
    const [object] = diff.objects;
    expect(object.diff).toBe(`--- base: Secret shop/db
+++ head: Secret shop/db
@@ -4,7 +4,8 @@
   name: db
   namespace: shop
 data:
-  password: <redacted>
+  host: <redacted>
+  password: <redacted, changed>
   user: <redacted>
 stringData:
   token: <redacted>
`);
    expect(object.redacted).toEqual({ changedKeys: ['data.password'] });
    for (const value of ['aHVudGVyMg==', 'Y29ycmVjdA==', 'YWRtaW4=', 'ZGIuc2hvcA==', 's3cr3t-token']) expect(JSON.stringify(diff)).not.toContain(value);
    // an added Secret shows its keys, never its values
    const added = diffCluster(side(CONFIGMAP), side(`${CONFIGMAP}---\n${secret('aHVudGVyMg==')}`));
    expect(added.objects[0].diff).toContain('+  password: <redacted>\n');
    expect(JSON.stringify(added)).not.toContain('aHVudGVyMg==');
    expect(added.objects[0].redacted).toEqual({ changedKeys: [] });
  });

  it('does not compare a cluster that did not render on one side, and says which and why', () => {
    const failed = { objects: [], problems: [{ entryPoint: 'apps', message: 'kubectl kustomize failed: accumulating resources' }] };
    expect(diffCluster(side(DEPLOYMENT), failed)).toEqual({
      status: 'not-compared',
      notRendered: 'head',
      reason: 'it does not render at the head of this change (apps: kubectl kustomize failed: accumulating resources)',
      objects: [],
    });
    expect(diffCluster(failed, side(DEPLOYMENT))).toMatchObject({ notRendered: 'base', reason: 'it does not render on the base revision (apps: kubectl kustomize failed: accumulating resources)' });
    const twice = { objects: [], problems: [...failed.problems, { entryPoint: 'infra', message: 'path infra does not exist in this repository' }] };
    expect(diffCluster(twice, twice)).toMatchObject({
      notRendered: 'both',
      reason: 'it does not render on either side (head: apps: kubectl kustomize failed: accumulating resources; and 1 more render error)',
    });
  });

  it('treats a cluster new in this change as all added, and survives objects with odd shapes', () => {
    const odd = [{ kind: 'ConfigMap' }, { apiVersion: 7, kind: null, metadata: 'x' }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: 'not-a-map' }] as unknown as K8sObject[];
    const diff = diffCluster(undefined, { objects: odd, problems: [] });
    expect(diff.objects.map((o) => [o.change, o.object])).toEqual([
      ['added', { apiVersion: '7', kind: '', name: '' }],
      ['added', { apiVersion: '', kind: 'ConfigMap', name: '' }],
      ['added', { apiVersion: 'v1', kind: 'Secret', name: 's' }],
    ]);
    expect(diff.objects[2].diff).toContain('+data: <redacted>\n');
  });
});

describe('canonical YAML', () => {
  it('puts apiVersion, kind and metadata (name, namespace) first, sorts other keys, keeps list order and folds no line', () => {
    const long = 'x'.repeat(200);
    const lines = canonicalLines(stripNoise(objects(`spec:\n  b: 1\n  a: [z, y]\nmetadata:\n  labels: {b: "1", a: "2"}\n  namespace: n\n  name: o\nkind: K\napiVersion: v1\nnote: ${long}\n`)[0]));
    expect(lines).toEqual(['apiVersion: v1', 'kind: K', 'metadata:', '  name: o', '  namespace: n', '  labels:', '    a: "2"', '    b: "1"', `note: ${long}`, 'spec:', '  a:', '    - z', '    - y', '  b: 1']);
  });
});

describe('withRenderedDiff', () => {
  const report = (): Report => ({
    schemaVersion: 1,
    tool: { name: 'policy-check', version: '0' },
    generatedAt: '2026-01-01T00:00:00Z',
    base: { ref: 'main' },
    clusters: [
      { name: 'kind', entryPoints: [], skipped: [], objectCount: 0, connectivity: [], baseConnectivity: [{ from: 'anywhere', to: 'Deployment kind/web', port: 8080, protocol: 'TCP' }] },
      { name: 'staging', entryPoints: [], skipped: [], objectCount: 3, connectivity: [], baseConnectivity: [] },
    ],
    findings: [],
    fixed: [
      { rule: 'images/pinned-tag', severity: 'error', cluster: 'kind', message: 'm', fingerprint: 'aaaaaaaa' },
      { rule: 'images/pinned-tag', severity: 'error', cluster: 'staging', message: 'm', fingerprint: 'bbbbbbbb' },
    ],
    summary: { errors: 0, warnings: 0, infos: 0, suppressed: 0, blocking: 0, new: 0, fixed: 2 },
    rules: [],
  });

  it('drops the base connectivity and the "fixed" findings of a cluster that did not render at the head', () => {
    const headFailed: ClusterDiff = { status: 'not-compared', notRendered: 'head', reason: 'r', objects: [] };
    const result = withRenderedDiff(report(), new Map<string, ClusterDiff>([['kind', headFailed], ['staging', { status: 'unchanged', objects: [] }]]));
    expect(result.clusters[0]).toEqual({ name: 'kind', entryPoints: [], skipped: [], objectCount: 0, connectivity: [], diff: headFailed });
    expect(result.clusters[1].baseConnectivity).toEqual([]);
    expect(result.fixed!.map((f) => f.cluster)).toEqual(['staging']);
    expect(result.summary.fixed).toBe(1);
  });

  it('keeps fixed findings when only the base did not render (the head was checked)', () => {
    const result = withRenderedDiff(report(), new Map([['kind', notCompared('the base revision could not be checked: bad config')]]));
    expect(result.clusters[0].baseConnectivity).toBeUndefined();
    expect(result.fixed).toHaveLength(2);
  });
});
