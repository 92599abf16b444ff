// Why one Flux Kustomization / Argo CD Application per app keeps kustomize fast: kustomize's cost grows faster
// than its input within one build (kustomize issue 5084), while separate builds add up linearly and run in parallel.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeFleet } from './fleet.ts';
import { findKustomize } from '../tools/lib/render/kustomize.ts';
import { run } from '../tools/lib/render/process.ts';

export interface LayoutRow {
  apps: number;
  oneOverlayMs: number;
  perAppParallelMs: number;
}

async function pool(tasks: (() => Promise<unknown>)[], limit: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < tasks.length) await tasks[next++]();
  }));
}

export async function layouts(sizes: number[]): Promise<LayoutRow[]> {
  const kustomize = await findKustomize();
  const rows: LayoutRow[] = [];
  for (const apps of sizes) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-layout-'));
    writeFleet(root, { apps, clusters: 1, layout: 'one-overlay' });
    let start = performance.now();
    const one = await run(kustomize.command, [...kustomize.args, path.join(root, 'overlays/c0')], { timeoutMs: 1_800_000 });
    if (one.code !== 0) throw new Error(one.stderr);
    const oneOverlayMs = performance.now() - start;
    start = performance.now();
    await pool(Array.from({ length: apps }, (_, i) => () => run(kustomize.command, [...kustomize.args, path.join(root, `apps/app-${i}`)])), Math.max(2, os.cpus().length));
    rows.push({ apps, oneOverlayMs, perAppParallelMs: performance.now() - start });
    fs.rmSync(root, { recursive: true, force: true });
  }
  return rows;
}

export function formatLayouts(rows: LayoutRow[]): string {
  const lines = ['apps  one overlay s  per app, parallel s  one overlay / per app'];
  for (const r of rows) lines.push(`${String(r.apps).padStart(4)}  ${(r.oneOverlayMs / 1000).toFixed(2).padStart(13)}  ${(r.perAppParallelMs / 1000).toFixed(2).padStart(19)}  ${(r.oneOverlayMs / r.perAppParallelMs).toFixed(2).padStart(21)}x`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  layouts((process.argv[2] ?? '50,200').split(',').map(Number)).then((rows) => console.log(formatLayouts(rows)));
}
