import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../tools/lib/render/run-check.ts';
import { discoverFrom } from '../tools/lib/render/discover.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';
import pinnedTag from '../policies/images-pinned-tag.ts';
import { copyFixture } from './helpers/cli.ts';

async function findingsWith(config: string) {
  const root = copyFixture('engine-repo');
  fs.mkdirSync(path.join(root, 'policies'));
  fs.writeFileSync(path.join(root, 'policies/config.yaml'), config);
  const { report } = await runCheck({ root, rules: [pinnedTag], clusters: ['flux-dev', 'argo-prod'] });
  return report.findings.filter((f) => f.rule === 'images/pinned-tag').map((f) => `${f.cluster} ${f.severity} ${f.location?.file}:${f.location?.line}`);
}

describe('rule settings in config', () => {
  it('severity per cluster', async () => {
    expect(await findingsWith('rules:\n  images/pinned-tag:\n    clusters:\n      flux-dev: { severity: warning }\n')).toEqual([
      'flux-dev warning overlays/dev/web-image.yaml:10',
    ]);
  });

  it('off per cluster', async () => {
    expect(await findingsWith('rules:\n  images/pinned-tag:\n    clusters:\n      flux-dev: { severity: off }\n')).toEqual([]);
  });

  it('options per cluster: a stricter rule on one cluster only', async () => {
    expect(await findingsWith('rules:\n  images/pinned-tag:\n    clusters:\n      argo-prod: { options: { requireDigest: true } }\n')).toEqual([
      'flux-dev error overlays/dev/web-image.yaml:10',
      'argo-prod error apps/web/deployment.yaml:17',
      // the base says `busybox`; overlays/prod's `images:` entry set the tag, so that is the line to change
      'argo-prod error overlays/prod/kustomization.yaml:6',
      'argo-prod error apps/api/deployment.yaml:18',
    ]);
  });

  it('paths scope a rule to files (minimatch), exclude removes them', async () => {
    const strict = 'rules:\n  images/pinned-tag:\n    options: { requireDigest: true }\n';
    expect(await findingsWith(`${strict}    paths: ["apps/web/**"]\n`)).toEqual(['argo-prod error apps/web/deployment.yaml:17']);
    expect(await findingsWith(`${strict}    exclude: ["apps/**"]\n`)).toEqual([
      'flux-dev error overlays/dev/web-image.yaml:10',
      'flux-dev error overlays/dev/kustomization.yaml:15',
      'argo-prod error overlays/prod/kustomization.yaml:6',
    ]);
  });

  it('per-cluster Kubernetes version and capacity reach the rules', async () => {
    const root = copyFixture('engine-repo');
    fs.mkdirSync(path.join(root, 'policies'));
    fs.writeFileSync(path.join(root, 'policies/config.yaml'), 'defaults:\n  kubernetesVersion: "1.30"\nclusters:\n  flux-dev:\n    kubernetesVersion: "1.29"\n    capacity: { cpu: "2", memory: 4Gi, nodes: 2 }\n');
    const seen: Record<string, unknown> = {};
    const probe = { ...pinnedTag, id: 'test/probe', check: (ctx: any) => void (seen[ctx.cluster.name] = { version: ctx.cluster.kubernetesVersion, capacity: ctx.cluster.capacity }) };
    await runCheck({ root, rules: [probe], clusters: ['flux-dev', 'argo-prod'] });
    expect(seen).toEqual({
      'flux-dev': { version: '1.29', capacity: { cpu: '2', memory: '4Gi', nodes: 2 } },
      'argo-prod': { version: '1.30', capacity: undefined },
    });
  });
});

describe('ApplicationSet list generator', () => {
  it('makes one entry point per element, with its parameters filled in', () => {
    const [appset] = objectsFromYaml(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
  namespace: argocd
spec:
  generators:
    - list:
        elements:
          - env: dev
            ns: dev
          - env: prod
            ns: prod
    - clusters: {}
  template:
    metadata:
      name: 'web-{{env}}'
    spec:
      source:
        repoURL: https://github.com/example/fleet.git
        path: 'overlays/{{env}}'
      destination:
        namespace: '{{ns}}'
`, 'clusters/x/appset.yaml');
    const found = discoverFrom([appset], { root: path.resolve(import.meta.dirname, 'fixtures/engine-repo'), cluster: 'x', known: [appset], repositoryUrls: [], where: () => undefined });
    expect(found.entryPoints.map((e) => [e.name, e.path, e.argo?.destinationNamespace])).toEqual([
      ['Application argocd/envs/web-dev', 'overlays/dev', 'dev'],
      ['Application argocd/envs/web-prod', 'overlays/prod', 'prod'],
    ]);
    expect(found.skipped.map((s) => s.reason)).toEqual(['generator clusters is not followed (list and git directories are)']);
  });
});
