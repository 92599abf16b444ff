// Already-rendered YAML given as PATH is checked as given: its Flux and Argo CD objects are objects, not entry
// points, so the repository is not rendered a second time beside the dump (no false render/duplicate-object).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findKustomize } from '../../tools/lib/render/kustomize.ts';
import { run } from '../../tools/lib/render/process.ts';
import { runCli } from '../helpers/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const kustomize = await findKustomize().catch(() => undefined);
const dir = fs.mkdtempSync(path.join(ROOT, '.check-tmp-path-mode-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!kustomize)('PATH mode on rendered YAML', () => {
  it('checks a dump of k3s once, and lists the reconcilers it did not follow', async () => {
    const parts: string[] = [];
    for (const folder of ['clusters/k3s', 'overlays/k3s']) {
      const result = await run(kustomize!.command, [...kustomize!.args, path.join(ROOT, folder)]);
      expect(result.code, result.stderr).toBe(0);
      parts.push(result.stdout);
    }
    const file = path.join(dir, 'k3s-rendered.yaml');
    fs.writeFileSync(file, parts.join('---\n'));
    const relative = path.relative(ROOT, file);
    const { code, stdout } = runCli([relative, '--format', 'json'], ROOT);
    const report = JSON.parse(stdout);
    expect(report.findings.filter((f: any) => f.rule === 'render/duplicate-object')).toEqual([]);
    expect(report.clusters[0].entryPoints.map((e: any) => e.path)).toEqual([relative]);
    const notFollowed = report.clusters[0].skipped.filter((s: any) => s.reason.includes('is checked as plain YAML, as given')).map((s: any) => s.name);
    expect(notFollowed).toEqual(expect.arrayContaining(['Kustomization flux-system/apps', 'Kustomization flux-system/infra-controllers', 'Kustomization flux-system/infra-configs']));
    // the dump holds the apps but not infrastructure/configs, so the one thing missing from it is the secret store
    expect(report.findings.filter((f: any) => !f.suppressed).map((f: any) => `${f.rule} ${f.object.kind} ${f.object.namespace}/${f.object.name}`)).toEqual([
      'references/external-secret ExternalSecret orchestrator-system/orchestrator-secrets',
    ]);
    expect(code).toBe(1);
  }, 120_000);
});
