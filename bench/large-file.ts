// npx tsx bench/large-file.ts: large but legal input. One YAML file of 1,000 / 2,500 / 5,000 small ConfigMaps, and
// one file of about 7.5 MB (under the 8 MiB cap), checked in PATH mode (read directly, no kustomize), with the time
// per document; then the same files through kustomize alone, to show where the time would go (its cost grows much
// faster than the input). LARGE_KUSTOMIZE_MAX (default 2500) caps the sizes given to kustomize: 5,000 takes minutes.
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCheck } from '../tools/lib/render/run-check.ts';
import { findKustomize } from '../tools/lib/render/kustomize.ts';
import { run } from '../tools/lib/render/process.ts';

export function configMaps(count: number, payloadBytes = 10): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: app\ndata:\n  payload: "${'x'.repeat(payloadBytes)}"\n`);
  return docs.join('---\n');
}

interface Case {
  label: string;
  documents: number;
  text: string;
}

async function main(): Promise<void> {
  const cases: Case[] = [1000, 2500, 5000].map((n) => ({ label: `${n} documents`, documents: n, text: configMaps(n) }));
  cases.push({ label: '7.5 MB file', documents: 8500, text: configMaps(8500, 800) });
  const kustomizeMax = Number(process.env.LARGE_KUSTOMIZE_MAX ?? 2500);
  const kustomize = await findKustomize();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-large-'));
  fs.mkdirSync(path.join(root, '.git'));
  console.log(`case              bytes      check (PATH mode)        kustomize alone`);
  for (const c of cases) {
    const file = path.join(root, `${c.documents}.yaml`);
    fs.writeFileSync(file, c.text);
    const started = performance.now();
    const { report } = await runCheck({ root, paths: [file] });
    const checkMs = performance.now() - started;
    if (report.clusters[0].objectCount !== c.documents) throw new Error(`${c.label}: ${report.clusters[0].objectCount} objects, expected ${c.documents}`);
    let kustomizeText = 'skipped (LARGE_KUSTOMIZE_MAX)';
    if (c.documents <= kustomizeMax) {
      const dir = path.join(root, `k${c.documents}`);
      fs.mkdirSync(dir);
      fs.copyFileSync(file, path.join(dir, 'all.yaml'));
      fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [all.yaml]\n');
      const kStarted = performance.now();
      const result = await run(kustomize.command, [...kustomize.args, dir], { timeoutMs: 900_000 });
      const kMs = performance.now() - kStarted;
      kustomizeText = result.code === 0 ? `${(kMs / 1000).toFixed(1)} s, ${((kMs / c.documents) * 1000).toFixed(0)} µs/doc` : `failed: ${result.stderr.split('\n')[0]}`;
    }
    const size = `${(Buffer.byteLength(c.text) / 1e6).toFixed(1)} MB`;
    console.log(`${c.label.padEnd(16)}  ${size.padEnd(9)}  ${`${(checkMs / 1000).toFixed(1)} s, ${((checkMs / c.documents) * 1000).toFixed(0)} µs/doc`.padEnd(23)}  ${kustomizeText}`);
  }
  fs.rmSync(root, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
