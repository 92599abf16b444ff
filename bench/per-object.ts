// The checker's own work per object, without kustomize: parse kustomize's output (with origin annotations),
// then checkCluster (defaulting, graph, every rule, locate, waive), on fleets of growing size; beside it
// kube-linter (when on PATH) on the same YAML. One run, ratios; the machine's load is printed with them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeFleet } from './fleet.ts';
import { parseRendered } from '../tools/lib/render/render.ts';
import { findKustomize } from '../tools/lib/render/kustomize.ts';
import { run } from '../tools/lib/render/process.ts';
import { checkCluster } from '../tools/lib/core/check-cluster.ts';
import { createSourceReader } from '../tools/lib/core/locate.ts';
import { defaultConfig } from '../tools/lib/core/config.ts';
import { loadRules } from '../tools/lib/render/load-rules.ts';

export interface PerObjectRow {
  apps: number;
  objects: number;
  parseMs: number;
  checkMs: number;
  findings: number;
  kubeLinterMs?: number;
  heapMb: number;
}

/** Real kustomize output (origin annotations on) of app 0 and of app 1, then app 1 repeated as app i: what one render of N apps emits. */
async function renderedFleet(root: string, apps: number): Promise<string> {
  const kustomize = await findKustomize();
  const render = async (app: string) => {
    const wrapper = path.join(root, '.bench-wrapper');
    fs.mkdirSync(wrapper, { recursive: true });
    fs.writeFileSync(path.join(wrapper, 'kustomization.yaml'), `resources: [../apps/${app}]\nbuildMetadata: [originAnnotations]\n`);
    const result = await run(kustomize.command, [...kustomize.args, wrapper]);
    if (result.code !== 0) throw new Error(`kustomize: ${result.stderr}`);
    return result.stdout;
  };
  const first = await render('app-0');
  const template = await render('app-1');
  const parts = [first];
  for (let i = 1; i < apps; i++) {
    parts.push(template.replace(/(app-|APP_)(\d+)(?![0-9])/g, (_, prefix: string, n: string) => `${prefix}${i + Number(n) - 1}`));
  }
  return parts.join('---\n');
}

export async function perObject(sizes: number[]): Promise<PerObjectRow[]> {
  const rules = await loadRules();
  const rows: PerObjectRow[] = [];
  const kubeLinter = (await run('kube-linter', ['version'])).code === 0;
  for (const apps of sizes) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-'));
    writeFleet(root, { apps, clusters: 1, layout: 'per-app' });
    const yaml = await renderedFleet(root, apps);
    const file = path.join(root, 'rendered.yaml');
    fs.writeFileSync(file, yaml);
    const entry = { cluster: 'bench', engine: 'path' as const, name: 'bench', path: '.' };
    global.gc?.();
    const t0 = performance.now();
    const { objects } = parseRendered(yaml, entry, path.join(root, '.bench-wrapper'), root);
    const t1 = performance.now();
    const checked = checkCluster({
      objects,
      settings: { name: 'bench', kubernetesVersion: '1.33', podSecurityMinimum: 'restricted' },
      config: defaultConfig(),
      rules,
      sources: createSourceReader(root),
      today: new Date(),
    });
    const t2 = performance.now();
    if (process.env.BENCH_SHOW) for (const f of checked.findings) console.error(f.rule, f.message);
    const row: PerObjectRow = { apps, objects: objects.length, parseMs: t1 - t0, checkMs: t2 - t1, findings: checked.findings.length, heapMb: process.resourceUsage().maxRSS / 1024 };
    if (kubeLinter) {
      const s = performance.now();
      await run('kube-linter', ['lint', file], { timeoutMs: 600_000 });
      row.kubeLinterMs = performance.now() - s;
    }
    rows.push(row);
    fs.rmSync(root, { recursive: true, force: true });
  }
  return rows;
}

export function formatPerObject(rows: PerObjectRow[]): string {
  const lines = [`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`];
  lines.push('apps   objects  parse ms  check ms  objects/s (parse+check)  µs/object  kube-linter ms  objects/s  ours vs kube-linter  peak rss MB  findings');
  for (const r of rows) {
    const ours = r.parseMs + r.checkMs;
    const rate = (r.objects / ours) * 1000;
    const kl = r.kubeLinterMs === undefined ? '' : `${r.kubeLinterMs.toFixed(0).padStart(14)}  ${((r.objects / r.kubeLinterMs) * 1000).toFixed(0).padStart(9)}  ${(r.kubeLinterMs / ours).toFixed(2).padStart(18)}x`;
    lines.push(
      `${String(r.apps).padStart(4)}  ${String(r.objects).padStart(8)}  ${r.parseMs.toFixed(0).padStart(8)}  ${r.checkMs.toFixed(0).padStart(8)}  ${rate.toFixed(0).padStart(23)}  ${((ours / r.objects) * 1000).toFixed(0).padStart(9)}  ${kl.padEnd(46)}  ${r.heapMb.toFixed(0).padStart(11)}  ${String(r.findings).padStart(8)}`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const sizes = (process.argv[2] ?? '50,500,2000').split(',').map(Number);
  perObject(sizes).then((rows) => console.log(formatPerObject(rows)));
}
