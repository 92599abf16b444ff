// The chart cache: each chart version pulled once (with the real `helm pull`) into a folder outside the repository
// and reused; with --offline only what is already there is used.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../render/process.ts';
import type { HelmBinary } from './helm-binary.ts';

export const CHART_CACHE_ENV = 'POLICY_CHECK_CHART_CACHE';
const PULL_TIMEOUT_MS = 120_000;

/** A chart as a reconciler names it: a chart repository (HTTP(S) index or OCI registry), a chart name and a version. */
export interface ChartRef {
  /** https://charts.jetstack.io, or oci://ghcr.io/org/charts (the chart name is appended for OCI). */
  repoUrl: string;
  chart: string;
  version: string;
  /** An OCI registry over plain HTTP (Flux `insecure: true`): `helm pull --plain-http`. */
  plainHttp?: boolean;
}

export type ChartFetch = { ok: true; file: string } | { ok: false; reason: string };

/** --chart-cache, else $POLICY_CHECK_CHART_CACHE, else $XDG_CACHE_HOME/policy-check/charts (~/.cache/policy-check/charts). */
export function chartCacheDir(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  if (process.env[CHART_CACHE_ENV]) return path.resolve(process.env[CHART_CACHE_ENV]!);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'policy-check', 'charts');
}

export const isOci = (url: string) => /^oci:\/\//i.test(url.trim());

/** An exact version (1.2.3, v1.2.3-rc.1); anything else (4.x, >=1.0, *) is a range only the repository index can resolve. */
export const isExactVersion = (version: string) => /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version.trim());

/** The folder of a repository inside the cache: its URL without scheme or credentials, one folder per path segment. */
export function repositoryFolder(cacheDir: string, repoUrl: string): string {
  const url = repoUrl.trim().replace(/\/+$/, '');
  const scheme = isOci(url) ? 'oci' : 'http';
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '');
  const segments = rest.split('/').filter((s) => s && s !== '.' && s !== '..').map((s) => s.replace(/[^A-Za-z0-9._-]/g, '_'));
  return path.join(cacheDir, scheme, ...segments);
}

/** Where a chart version lives in the cache (the layout `helm pull` and `helm package` both write: <chart>-<version>.tgz). */
export function cachedChartFile(cacheDir: string, ref: ChartRef): string {
  return path.join(repositoryFolder(cacheDir, ref.repoUrl), `${ref.chart}-${ref.version.trim()}.tgz`);
}

const describe = (ref: ChartRef) => `chart ${ref.chart} ${ref.version} from ${ref.repoUrl}`;

function oneLine(text: string): string {
  return text.replace(/^Error:\s*/m, '').replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** Helm's own config and cache go into the chart cache too, so a check never touches the user's helm repositories. */
function helmEnv(cacheDir: string): NodeJS.ProcessEnv {
  const home = path.join(cacheDir, '.helm');
  return { ...process.env, HELM_CACHE_HOME: path.join(home, 'cache'), HELM_CONFIG_HOME: path.join(home, 'config'), HELM_DATA_HOME: path.join(home, 'data') };
}

const inFlight = new Map<string, Promise<ChartFetch>>();

/**
 * The chart's .tgz: from the cache, else (online) pulled with `helm pull` and kept for next time; clusters rendered in
 * parallel share one pull, and with `pulls` (one run's memo) so do clusters rendered one after another, failed pulls too.
 */
export function fetchChart(ref: ChartRef, options: { cacheDir: string; offline: boolean; helm: HelmBinary; pulls?: Map<string, Promise<ChartFetch>> }): Promise<ChartFetch> {
  const key = `${options.offline}|${cachedChartFile(options.cacheDir, ref)}`;
  const memo = options.pulls ?? inFlight;
  let pending = memo.get(key);
  if (!pending) {
    pending = fetchChartOnce(ref, options);
    if (!options.pulls) pending = pending.finally(() => inFlight.delete(key));
    memo.set(key, pending);
  }
  return pending;
}

async function fetchChartOnce(ref: ChartRef, options: { cacheDir: string; offline: boolean; helm: HelmBinary }): Promise<ChartFetch> {
  const exact = isExactVersion(ref.version);
  if (exact) {
    const file = cachedChartFile(options.cacheDir, ref);
    if (fs.existsSync(file)) return { ok: true, file };
    // Helm tolerates a missing or extra leading "v"; so does the cache
    const other = cachedChartFile(options.cacheDir, { ...ref, version: ref.version.startsWith('v') ? ref.version.slice(1) : `v${ref.version}` });
    if (fs.existsSync(other)) return { ok: true, file: other };
  }
  if (options.offline) {
    return exact
      ? { ok: false, reason: `${describe(ref)} is not in the chart cache ${options.cacheDir} and --offline forbids pulling it` }
      : { ok: false, reason: `${describe(ref)}: a version range needs the repository index, which --offline forbids; pin an exact version` };
  }
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-pull-'));
  try {
    const args = isOci(ref.repoUrl)
      ? ['pull', `${ref.repoUrl.replace(/\/+$/, '')}/${ref.chart}`, '--version', ref.version, '--destination', staging, ...(ref.plainHttp ? ['--plain-http'] : [])]
      : ['pull', ref.chart, '--repo', ref.repoUrl, '--version', ref.version, '--destination', staging];
    const result = await run(options.helm.command, args, { timeoutMs: PULL_TIMEOUT_MS, env: helmEnv(options.cacheDir) });
    if (result.code !== 0) return { ok: false, reason: `${describe(ref)} could not be pulled: ${oneLine(result.stderr || result.stdout)}` };
    const pulled = fs.readdirSync(staging).find((f) => f.endsWith('.tgz'));
    if (!pulled) return { ok: false, reason: `${describe(ref)}: helm pull wrote no chart archive` };
    const target = path.join(repositoryFolder(options.cacheDir, ref.repoUrl), pulled);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(staging, pulled), target);
    return { ok: true, file: target };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
