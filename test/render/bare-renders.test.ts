// Entry points past the cluster folder render first without kustomize's origin annotations (about half of its CPU
// time), and again with them only where a finding must be located: the findings and their lines are the same either
// way, and a clean entry point is rendered once.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../tools/lib/render/run-check.ts';
import { loadRules } from '../../tools/lib/render/load-rules.ts';
import { copyFixture } from '../helpers/cli.ts';
import { useLoggingKustomize } from '../helpers/logging-kustomize.ts';

const { renders } = useLoggingKustomize('bare-renders-', { withAnnotations: true });

describe('bare renders', () => {
  it('a clean run renders each entry point once; only the cluster folder with annotations', async () => {
    const root = copyFixture('engine-repo');
    const rules = (await loadRules()).filter((r) => r.id === 'rbac/no-wildcards');
    const { report } = await runCheck({ root, clusters: ['flux-dev'], rules });
    expect(report.findings).toEqual([]);
    expect(renders()).toEqual(['annotated sync.yaml', 'bare api', 'bare dev']);
  }, 60_000);

  it('findings on objects of bare renders: those entry points render again with annotations, and every finding is located', async () => {
    const root = copyFixture('engine-repo');
    const { report } = await runCheck({ root, clusters: ['flux-dev'] });
    const places = [...new Set(report.findings.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line}`))].sort();
    expect(places).toContain('security/namespace-pss-label apps/api/deployment.yaml:3');
    expect(places).toContain('network/default-deny apps/api/deployment.yaml:4');
    expect(report.findings.every((f) => f.location?.file && f.location.line > 0)).toBe(true);
    expect(renders()).toEqual(['annotated api', 'annotated dev', 'annotated sync.yaml', 'bare api', 'bare dev']);
  }, 60_000);

  it('an entry point whose files declare a reconciler renders once, with annotations; one that only carries a reconciler\'s annotation key renders bare', async () => {
    const root = copyFixture('engine-repo');
    fs.writeFileSync(
      path.join(root, 'overlays/dev/nested.yaml'),
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: nested\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps/web\n  targetNamespace: web\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
    );
    const kustomization = fs.readFileSync(path.join(root, 'overlays/dev/kustomization.yaml'), 'utf8');
    fs.writeFileSync(path.join(root, 'overlays/dev/kustomization.yaml'), kustomization.replace('  - ../../apps/web\n', '  - ../../apps/web\n  - nested.yaml\n'));
    const api = fs.readFileSync(path.join(root, 'apps/api/deployment.yaml'), 'utf8');
    fs.writeFileSync(path.join(root, 'apps/api/deployment.yaml'), api.replace(/^metadata:\n/m, 'metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: "1"\n'));
    const rules = (await loadRules()).filter((r) => r.id === 'rbac/no-wildcards');
    const { report } = await runCheck({ root, clusters: ['flux-dev'], rules });
    expect(report.findings).toEqual([]);
    expect(renders()).toEqual(['annotated dev', 'annotated sync.yaml', 'bare api', 'bare web']);
  }, 60_000);
});
