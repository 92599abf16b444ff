// The render cache: an unchanged entry point is not rendered again, a changed file re-renders only the entry points
// that read it, a changed reconciler option or kustomize invalidates, and a corrupt entry is rendered again.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../tools/lib/render/run-check.ts';
import { forgetKustomize } from '../../tools/lib/render/kustomize.ts';
import { RenderCache } from '../../tools/lib/render/render-cache.ts';
import { copyFixture, runCli } from '../helpers/cli.ts';
import { useLoggingKustomize } from '../helpers/logging-kustomize.ts';

const kustomize = useLoggingKustomize('render-cache-');
const { renders, forget } = kustomize;
let cacheDir: string;
beforeEach(() => {
  cacheDir = path.join(kustomize.dir, 'cache');
});

const comparable = (report: any) => JSON.stringify({ findings: report.findings, clusters: report.clusters.map((c: any) => ({ ...c, entryPoints: c.entryPoints.map(({ fromCache: _, ...e }: any) => e) })) });

describe('render cache', () => {
  it('the second run renders nothing and reports the same; the report says what came from the cache', async () => {
    const root = copyFixture('engine-repo');
    const first = await runCheck({ root, clusters: ['flux-dev'], renderCache: cacheDir });
    expect(renders()).toEqual(['api', 'api', 'dev', 'dev', 'sync.yaml']);
    expect(first.report.clusters[0].entryPoints.some((e) => e.fromCache)).toBe(false);
    forget();
    const second = await runCheck({ root, clusters: ['flux-dev'], renderCache: cacheDir });
    expect(renders()).toEqual([]);
    expect(second.report.clusters[0].entryPoints.map((e) => `${e.path} ${e.fromCache ?? false}`)).toEqual(['clusters/flux-dev true', 'apps/api true', 'overlays/dev true']);
    expect(comparable(second.report)).toEqual(comparable(first.report));
  }, 60_000);

  it('a changed file re-renders only the entry points that read it', async () => {
    const root = copyFixture('engine-repo');
    await runCheck({ root, clusters: ['flux-dev'], renderCache: cacheDir });
    forget();
    const file = path.join(root, 'apps/api/deployment.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('spec:\n  selector:', 'spec:\n  replicas: 3\n  selector:'));
    await runCheck({ root, clusters: ['flux-dev'], renderCache: cacheDir });
    expect(renders()).toEqual(['api', 'api']);
  }, 60_000);

  it('a changed reconciler option invalidates that entry point; another kustomize invalidates all', async () => {
    const root = copyFixture('engine-repo');
    await runCheck({ root, clusters: ['flux-dev'], renderCache: cacheDir });
    forget();
    const sync = path.join(root, 'clusters/flux-dev/sync.yaml');
    fs.writeFileSync(sync, fs.readFileSync(sync, 'utf8').replace('CLUSTER_NAME: flux-dev', 'CLUSTER_NAME: flux-dev-2'));
    await runCheck({ root, clusters: ['flux-dev'], renderCache: cacheDir });
    // the cluster folder's file changed, and the api Kustomization's substitution with it
    expect(renders()).toEqual(['api', 'api', 'sync.yaml']);
    forget();
    const wrapper = kustomize.wrapper;
    fs.appendFileSync(wrapper, '\n# another build\n');
    forgetKustomize();
    await runCheck({ root, clusters: ['flux-dev'], renderCache: cacheDir });
    expect(renders()).toEqual(['api', 'api', 'dev', 'dev', 'sync.yaml']);
  }, 60_000);

  it('a corrupt or truncated entry is rendered again, not trusted', async () => {
    const root = copyFixture('engine-repo');
    const first = await runCheck({ root, clusters: ['flux-dev'], renderCache: cacheDir });
    const entries = fs.readdirSync(cacheDir).flatMap((d) => fs.readdirSync(path.join(cacheDir, d)).map((f) => path.join(cacheDir, d, f)));
    expect(entries.length).toBe(5);
    fs.writeFileSync(entries[0], '{"format":1,"key":"');
    for (const entry of entries.slice(1)) fs.writeFileSync(entry, JSON.stringify({ format: 1, key: 'another', result: { objects: [], problems: [] } }));
    forget();
    const second = await runCheck({ root, clusters: ['flux-dev'], renderCache: cacheDir });
    expect(renders()).toEqual(['api', 'api', 'dev', 'dev', 'sync.yaml']);
    expect(comparable(second.report)).toEqual(comparable(first.report));
  }, 60_000);

  it('trims the oldest entries past its size', () => {
    const cache = new RenderCache(cacheDir);
    for (const key of ['aa01', 'aa02', 'bb03']) cache.set(key, { objects: [], problems: [] });
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(cacheDir, 'aa', 'aa01.json'), old, old);
    const size = fs.statSync(path.join(cacheDir, 'aa', 'aa02.json')).size;
    cache.trim(size * 2);
    expect([cache.get('aa01'), cache.get('aa02'), cache.get('bb03')].map((r) => r !== undefined)).toEqual([false, true, true]);
  });

  it('CLI: --clear-render-cache empties it, --no-render-cache with --render-cache is a usage error', () => {
    const root = copyFixture('engine-repo');
    new RenderCache(cacheDir).set('cc04', { objects: [], problems: [] });
    const cleared = runCli(['--cluster', 'flux-dev', '--render-cache', cacheDir, '--clear-render-cache', '--no-render-cache'], root);
    expect(cleared.stderr).toContain('use either --render-cache DIR or --no-render-cache, not both');
    expect(cleared.code).toBe(2);
    const run = runCli(['--cluster', 'flux-dev', '--render-cache', cacheDir, '--clear-render-cache'], root);
    expect(run.code).toBe(1);
    expect(fs.existsSync(path.join(cacheDir, 'cc', 'cc04.json'))).toBe(false);
    expect(run.stdout).toContain('cluster flux-dev (flux; 3 entry points, 8 objects)');
    const warm = runCli(['--cluster', 'flux-dev', '--render-cache', cacheDir], root);
    expect(warm.stdout).toContain('cluster flux-dev (flux; 3 entry points, all from the render cache, 8 objects)');
  }, 60_000);
});
