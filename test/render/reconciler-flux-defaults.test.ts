// What Flux does with the namespace-like fields a Kustomization or HelmRelease leaves out, pinned against its source
// (fetched snapshots, the tags Flux v2.4.0 ships):
//   KC = fluxcd/kustomize-controller v1.4.0 internal/controller/kustomization_controller.go
//   V  = fluxcd/pkg kustomize/v1.13.0 kustomize/kustomize_varsub.go
//   HR = fluxcd/helm-controller v1.1.0 api/v2/helmrelease_types.go; N = internal/release/name.go; I = internal/action/install.go
// A namespaced object that names no namespace under a Kustomization without targetNamespace is
// render/namespace-not-specified: test/render/reconciler-flux.test.ts.
// The long explicit releaseName and the kubeConfig tests failed before their fixes; the others pin behaviour that was
// already right. spec.serviceAccountName changes who applies, not what: docs/reconcilers.md, no test.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { objectsFromYaml } from '../../tools/lib/core/rule-tester.ts';
import { createSourceReader, locate } from '../../tools/lib/core/locate.ts';
import { discoverFrom, type DiscoverContext } from '../../tools/lib/render/discover.ts';

const FILE = 'clusters/c/flux.yaml';
const THIS = 'https://github.com/example/fleet.git';
const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function discover(yaml: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-defaults-'));
  roots.push(root);
  fs.mkdirSync(path.join(root, 'clusters/c'), { recursive: true });
  fs.writeFileSync(path.join(root, FILE), yaml);
  const read = createSourceReader(root);
  const objects = objectsFromYaml(yaml, FILE);
  const ctx: DiscoverContext = { root, cluster: 'c', known: objects, repositoryUrls: [THIS], where: (o, p) => locate(o, p, read) };
  return discoverFrom(objects, ctx);
}

const gitRepository = (namespace: string, url: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: fleet
  namespace: ${namespace}
spec:
  url: ${url}
---
`;

const kustomization = (namespace: string, extra = '') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: web
  namespace: ${namespace}
spec:
  interval: 10m
  path: ./web
  prune: true
  targetNamespace: shop
${extra}`;

describe('Flux Kustomization spec.sourceRef.namespace: the Kustomization\'s own namespace when left out (KC:528 getSource `sourceNamespace := obj.GetNamespace()`)', () => {
  const sources = `${gitRepository('flux-system', THIS)}${gitRepository('apps', 'https://github.com/example/other.git')}`;

  it('a Kustomization in apps without sourceRef.namespace reads apps/fleet, another repository: skipped with the reason', () => {
    const found = discover(`${sources}${kustomization('apps', '  sourceRef:\n    kind: GitRepository\n    name: fleet\n')}`);
    expect(found.entryPoints).toEqual([]);
    expect(found.skipped.map((s) => [s.name, s.reason])).toEqual([['Kustomization apps/web', 'GitRepository fleet points at https://github.com/example/other.git, not this repository']]);
  });

  it('with sourceRef.namespace: flux-system it reads flux-system/fleet, this repository: rendered', () => {
    const found = discover(`${sources}${kustomization('apps', '  sourceRef:\n    kind: GitRepository\n    name: fleet\n    namespace: flux-system\n')}`);
    expect([found.skipped, found.entryPoints.map((e) => [e.name, e.engine, e.path])]).toEqual([[], [['Kustomization apps/web', 'flux', 'web']]]);
  });
});

describe('Flux Kustomization spec.postBuild.substituteFrom: read from the Kustomization\'s namespace, then spec.postBuild.substitute over it (V:148 `Namespace: kustomization.GetNamespace()`, V:120)', () => {
  const vars = (namespace: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\n  namespace: ${namespace}\ndata:\n  TIER: ${value}\n  REGION: eu\n---\n`;
  const postBuild = '  sourceRef:\n    kind: GitRepository\n    name: fleet\n  postBuild:\n    substitute:\n      REGION: us\n    substituteFrom:\n      - kind: ConfigMap\n        name: vars\n';

  it('the ConfigMap of the Kustomization\'s namespace, not a namesake elsewhere; substitute wins', () => {
    const found = discover(`${gitRepository('apps', THIS)}${vars('flux-system', 'wrong')}${vars('apps', 'web')}${kustomization('apps', postBuild)}`);
    expect(found.entryPoints.map((e) => e.substitute)).toEqual([{ TIER: 'web', REGION: 'us' }]);
  });

  it('none in that namespace and not optional: Flux fails the Kustomization ("substitute from \'ConfigMap/vars\' error")', () => {
    const found = discover(`${gitRepository('apps', THIS)}${vars('flux-system', 'wrong')}${kustomization('apps', postBuild)}`);
    expect(found.problems.map((p) => [p.entryPoint, p.message, p.location?.line])).toEqual([
      ['Kustomization apps/web', "postBuild.substituteFrom ConfigMap vars is not in this repository for cluster c; Flux would fail this Kustomization (mark it optional: true if it is created out of band)", 34],
    ]);
  });
});

const helmRepository = (namespace: string, url: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: ${namespace}
spec:
  url: ${url}
---
`;
const helmRelease = (extra: string, name = 'web') => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: apps
spec:
  interval: 10m
${extra}  chart:
    spec:
      chart: web
      version: 1.2.3
      sourceRef:
        kind: HelmRepository
        name: charts
`;
const charts = `${helmRepository('apps', 'https://charts.example.com/apps')}${helmRepository('flux-system', 'https://charts.example.com/other')}`;
const releaseOf = (yaml: string) => {
  const found = discover(yaml);
  expect([found.skipped, found.problems]).toEqual([[], []]);
  return found.helm[0];
};

describe('Flux HelmRelease spec.targetNamespace: the release\'s own namespace when left out (HR:1188 GetReleaseNamespace)', () => {
  it('installs into apps without targetNamespace, into shop with it', () => {
    expect(releaseOf(`${charts}${helmRelease('')}`).namespace).toBe('apps');
    expect(releaseOf(`${charts}${helmRelease('  targetNamespace: shop\n')}`).namespace).toBe('shop');
  });
});

describe('Flux HelmRelease spec.releaseName: [targetNamespace-]name when left out (HR:1176 GetReleaseName), shortened past 53 characters set or not (I:68 ShortenName(obj.GetReleaseName()), N:35)', () => {
  it('web, shop-web, and a long explicit name cut to 40 characters and 12 of its sha256', () => {
    expect(releaseOf(`${charts}${helmRelease('')}`).releaseName).toBe('web');
    expect(releaseOf(`${charts}${helmRelease('  targetNamespace: shop\n')}`).releaseName).toBe('shop-web');
    const long = 'a-release-name-that-somebody-typed-out-in-full-for-the-shop';
    const release = releaseOf(`${charts}${helmRelease(`  releaseName: ${long}\n`)}`);
    expect(release.releaseName).toBe(`${long.slice(0, 40)}-${createHash('sha256').update(long).digest('hex').slice(0, 12)}`);
    expect(release.releaseName).toHaveLength(53);
  });
});

describe('Flux HelmRelease spec.storageNamespace: the release\'s own namespace when left out (HR:1197 GetStorageNamespace): where helm keeps its record, not what it renders', () => {
  it('the rendered release is the same with or without it', () => {
    const plain = releaseOf(`${charts}${helmRelease('')}`);
    const stored = releaseOf(`${charts}${helmRelease('  storageNamespace: helm-records\n')}`);
    expect([stored.namespace, stored.releaseName, stored.chart]).toEqual([plain.namespace, plain.releaseName, plain.chart]);
  });
});

describe('Flux HelmRelease spec.chart.spec.sourceRef.namespace: the release\'s own namespace when left out (helm-controller v1.1.0 internal/reconcile/helmchart_template.go:222 buildHelmChartFromTemplate: the HelmChart goes in `template.GetNamespace(obj.Namespace)` and reads its source there)', () => {
  it('the HelmRepository charts of apps, not its namesake in flux-system', () => {
    expect(releaseOf(`${charts}${helmRelease('')}`).chart).toEqual({ kind: 'repository', ref: { repoUrl: 'https://charts.example.com/apps', chart: 'web', version: '1.2.3' } });
  });
});

describe('Flux spec.kubeConfig: skipped with the reason (KC:364 NewImpersonator(..., obj.Spec.KubeConfig, ...); helm-controller v1.1.0 helmrelease_controller.go:678)', () => {
  it('a Kustomization or HelmRelease applied to another cluster is not judged as this cluster\'s', () => {
    const remote = '  kubeConfig:\n    secretRef:\n      name: prod-kubeconfig\n';
    const found = discover(`${gitRepository('apps', THIS)}${kustomization('apps', `  sourceRef:\n    kind: GitRepository\n    name: fleet\n${remote}`)}---\n${charts}${helmRelease(remote)}`);
    expect([found.entryPoints, found.helm]).toEqual([[], []]);
    expect(found.skipped.map((s) => [s.name, s.reason, s.declaredIn?.line])).toEqual([
      ['Kustomization apps/web', 'spec.kubeConfig (Secret prod-kubeconfig) makes Flux apply it to another cluster, which this cluster folder does not describe', 22],
      ['HelmRelease apps/web', 'spec.kubeConfig (Secret prod-kubeconfig) makes Flux apply it to another cluster, which this cluster folder does not describe', 49],
    ]);
  });
});
