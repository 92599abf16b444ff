// An alias bomb written inline in a kustomization (or in a Flux Kustomization's spec.patches) is refused before
// kustomize runs, at its line, in milliseconds; kustomize would expand it until the machine runs out of memory.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { runCheck } from '../../tools/lib/render/run-check.ts';
import pinnedTag from '../../policies/images-pinned-tag.ts';
import { bareDeployment } from '../helpers/manifests.ts';
import { writeTempRepo } from '../helpers/temp-repo.ts';

const repoWith = (files: Record<string, string>) => writeTempRepo(files, 'inline-patch-');

/** A billion-laughs patch: nine levels of nine aliases, indented to sit in a block scalar. */
function aliasBombLines(indent: string): string[] {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let previous = 'a';
  for (const name of 'bcdefghi') {
    lines.push(`  ${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    previous = name;
  }
  return lines.map((l) => indent + l);
}

const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n';

describe('inline patches', () => {
  it('an alias bomb in patches[].patch: one finding at the patch, exit 1, kustomize never runs', () => {
    const kustomization = ['resources: [cm.yaml]', 'patches:', '  - patch: |', ...aliasBombLines('      ')].join('\n') + '\n';
    const repo = repoWith({ 'bad/kustomization.yaml': kustomization, 'bad/cm.yaml': configMap });
    const started = Date.now();
    // a kustomize that would hang proves kustomize is not started
    const result = runCli(['bad', '--format', 'json'], repo, { KUSTOMIZE: '/bin/true' });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout).findings.map((f: any) => `${f.rule} ${f.location?.file}:${f.location?.line} ${f.message}`);
    expect(findings).toEqual(['render/failed bad/kustomization.yaml:4 bad: bad/kustomization.yaml:4:1: inline patch patches[0].patch: Excessive alias count indicates a resource exhaustion attack']);
  }, 60_000);

  it('an alias bomb in an inline patchesStrategicMerge entry and a broken patchesJson6902 patch, each at its line', async () => {
    const kustomization = [
      'resources: [cm.yaml]',
      'patchesJson6902:',
      '  - target: {version: v1, kind: ConfigMap, name: settings}',
      '    patch: |',
      '      - op: add',
      '        path: /data/b',
      '        value: [unclosed',
      'patchesStrategicMerge:',
      '  - |',
      ...aliasBombLines('    '),
    ].join('\n') + '\n';
    const repo = repoWith({ 'bad/kustomization.yaml': kustomization, 'bad/cm.yaml': configMap });
    const { report } = await runCheck({ root: repo, paths: [path.join(repo, 'bad')], rules: [] });
    expect(report.findings.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line} ${f.message}`)).toEqual([
      'render/failed bad/kustomization.yaml:7 bad: bad/kustomization.yaml:7:1: inline patch patchesJson6902[0].patch: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'render/failed bad/kustomization.yaml:10 bad: bad/kustomization.yaml:10:1: inline patch patchesStrategicMerge[0]: Excessive alias count indicates a resource exhaustion attack',
    ]);
  });

  it('a sane inline patch is rendered by kustomize as before', async () => {
    const kustomization = ['resources: [web.yaml]', 'patches:', '  - patch: |', '      apiVersion: apps/v1', '      kind: Deployment', '      metadata:', '        name: web', '      spec:', '        replicas: 3'].join('\n') + '\n';
    const repo = repoWith({ 'ok/kustomization.yaml': kustomization, 'ok/web.yaml': bareDeployment('web', 'web', 'nginx:latest') });
    const { report, clusters } = await runCheck({ root: repo, paths: [path.join(repo, 'ok')], rules: [pinnedTag] });
    expect((clusters[0].rendered.objects[0].object as any).spec.replicas).toBe(3);
    expect(report.findings.map((f) => f.rule)).toEqual(['images/pinned-tag']);
  });

  it('an alias bomb in a Flux Kustomization\'s spec.patches is refused at the Kustomization, and the cluster root still renders', async () => {
    const patch = aliasBombLines('        ').join('\n');
    const flux = `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  path: ./app\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  prune: true\n  interval: 5m\n  patches:\n    - patch: |\n${patch}\n`;
    const repo = repoWith({ 'clusters/one/kustomization.yaml': 'resources: [app.yaml]\n', 'clusters/one/app.yaml': flux, 'app/kustomization.yaml': 'resources: [cm.yaml]\n', 'app/cm.yaml': configMap });
    const { report } = await runCheck({ root: repo, rules: [] });
    expect(report.findings.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line} ${f.message}`)).toEqual([
      'render/failed clusters/one/app.yaml:7 Kustomization flux-system/app: inline patch patches[0].patch, line 1: Excessive alias count indicates a resource exhaustion attack',
    ]);
  });
});
