// npm run bench: how long the whole check takes against a bare render of the same entry points, in one run.
// Ratios, not absolute times, are the figures to compare: these machines are shared and noisy.
// Optional comparisons, when the binaries are on PATH (built outside this repository, e.g. with `go install`):
//   kube-linter lint over the same rendered output.
// Then schema validation of a synthetic fleet against kubeconform -strict (bench/schema-bench.ts; BENCH_FLEET objects).
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCheck } from '../tools/lib/render/run-check.ts';
import { findKustomize } from '../tools/lib/render/kustomize.ts';
import { run } from '../tools/lib/render/process.ts';
import { forgetSourceFiles } from '../tools/lib/render/preflight.ts';
import { freshBuild } from '../tools/bin/fresh-build.mjs';
import { formatPerObject, perObject } from './per-object.ts';
import { formatLayouts, layouts } from './layouts.ts';
import { printSchemaBench, schemaBench } from './schema-bench.ts';

const root = path.resolve(import.meta.dirname, '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(label: string, task: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
    process.stderr.write(`  ${label}: round ${i + 1}/${rounds} ${(samples[i] / 1000).toFixed(2)} s\n`);
  }
  return median(samples);
}

async function main() {
  const kustomize = await findKustomize();
  // the folders the check renders: every entry point it followed, as it reports them
  const first = await runCheck({ root });
  const entryPaths = [...new Set(first.report.clusters.flatMap((c) => c.entryPoints.map((e) => e.path)))];
  const renders = first.report.clusters.reduce((n, c) => n + c.entryPoints.length, 0);
  process.stderr.write(`benchmark: ${first.report.clusters.length} clusters, ${renders} renders (${entryPaths.length} distinct folders), ${rounds} rounds, ${kustomize.display}, ${os.cpus().length} CPUs\n`);

  const bareSequential = await time('bare kustomize, one folder after another', async () => {
    for (const p of entryPaths) {
      const r = await run(kustomize.command, [...kustomize.args, path.join(root, p)]);
      if (r.code !== 0) throw new Error(`${p}: ${r.stderr}`);
    }
  });
  const bareParallel = await time('bare kustomize, all folders at once', async () => {
    await Promise.all(entryPaths.map((p) => run(kustomize.command, [...kustomize.args, path.join(root, p)])));
  });
  // cold: no render cache at all, so every round renders (the default cache would make rounds 2 and 3 warm), and no
  // file known from an earlier round: only the loaded modules and the JIT stay warm
  const check = await time('full check (discover, render, every rule, locate), no render cache', () => {
    forgetSourceFiles();
    return runCheck({ root, renderCache: false });
  });
  // what a user waits for: the documented command in a fresh process (npx, tsx, module loading), no render cache
  const cli = await time('npx tsx tools/check.ts --no-render-cache, a fresh process', async () => {
    const r = await run('npx', ['tsx', 'tools/check.ts', '--no-render-cache', '--quiet'], { cwd: root });
    if (r.code !== 0) throw new Error(`the check exited ${r.code}: ${r.stderr}`);
  });
  // the policy-check command starts plain JavaScript when `npm run build` is fresh (tools/bin/fresh-build.mjs)
  const built = freshBuild()
    ? await time('policy-check (npm run build), a fresh process, no render cache', async () => {
        const r = await run(process.execPath, [path.join(root, 'tools/bin/policy-check.mjs'), '--no-render-cache', '--quiet'], { cwd: root });
        if (r.code !== 0) throw new Error(`the built check exited ${r.code}: ${r.stderr}`);
      })
    : undefined;
  const checkWithConnectivity = await time('full check with --connectivity, no render cache', () => {
    forgetSourceFiles();
    return runCheck({ root, connectivity: true, renderCache: false });
  });
  // warm: one run fills a fresh cache folder, then every timed round finds every entry point in it
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-render-cache-'));
  await runCheck({ root, renderCache: cacheDir });
  const warm = await time('full check, warm render cache', async () => {
    const { report } = await runCheck({ root, renderCache: cacheDir });
    const rendered = report.clusters.flatMap((c) => c.entryPoints).filter((e) => !e.fromCache);
    if (rendered.length > 0) throw new Error(`the warm run rendered ${rendered.map((e) => e.path).join(', ')} again`);
  });
  fs.rmSync(cacheDir, { recursive: true, force: true });

  const rows: [string, number][] = [
    ['bare kustomize build, sequential', bareSequential],
    ['bare kustomize build, parallel', bareParallel],
    ['policy check (all clusters), cold, in process', check],
    ['npx tsx tools/check.ts, cold, fresh process', cli],
    ...(built !== undefined ? [['policy-check (built), cold, fresh process', built] as [string, number]] : []),
    ['policy check, warm render cache', warm],
    ['policy check + connectivity, cold', checkWithConnectivity],
  ];

  const kubeLinter = await run('kube-linter', ['version']);
  if (kubeLinter.code === 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-kube-linter-'));
    for (const [i, p] of entryPaths.entries()) {
      const r = await run(kustomize.command, [...kustomize.args, path.join(root, p)]);
      fs.writeFileSync(path.join(dir, `${i}.yaml`), r.stdout);
    }
    const lint = await time(`kube-linter ${kubeLinter.stdout.trim()} lint (pre-rendered, no render time)`, () => run('kube-linter', ['lint', dir]));
    rows.push([`kube-linter lint of pre-rendered output`, lint]);
  }

  const width = Math.max(...rows.map(([l]) => l.length));
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
  console.log(`${'what'.padEnd(width)}  median s  vs bare sequential  vs bare parallel`);
  for (const [label, ms] of rows) {
    console.log(`${label.padEnd(width)}  ${(ms / 1000).toFixed(2).padStart(8)}  ${(ms / bareSequential).toFixed(2).padStart(17)}x  ${(ms / bareParallel).toFixed(2).padStart(15)}x`);
  }

  console.log('\nthe checker\'s own work per object (parse kustomize output + checkCluster), synthetic fleets of one cluster:');
  await perObject([20]); // warm-up: the first size would otherwise pay for module loading and JIT
  console.log(formatPerObject(await perObject((process.env.BENCH_SIZES ?? '50,500,2000').split(',').map(Number))));

  if (process.env.BENCH_LAYOUT) {
    console.log('\nkustomize itself, one overlay listing every app vs one render per app (the per-app layout):');
    console.log(formatLayouts(await layouts(process.env.BENCH_LAYOUT.split(',').map(Number))));
  }

  printSchemaBench(await schemaBench());
}

main().catch((error) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exit(2);
});
