// The whole check as one function: discover -> render -> graph -> evaluate/locate -> waive -> report data.
import { pool } from '../core/pool.ts';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { ClusterReport, ConnectivityEdge, EntryPoint, Finding, Report, RenderedCluster, RenderedObject } from '../core/types.ts';
import type { Rule } from '../core/rule.ts';
import type { ClusterGraph } from '../core/graph.ts';
import { clusterSettings, loadConfig, type CheckConfig } from '../core/config.ts';
import { clusterNames, discoverFrom, engineOf, isReconciler } from './discover.ts';
import { findKustomize, type KustomizeBinary } from './kustomize.ts';
import { describeKustomize } from './kustomize-version.ts';
import { renderEntryPoint, type RenderResult } from './render.ts';
import { defaultRenderCacheDir, RenderCache, renderKey } from './render-cache.ts';
import { applyDestinationNamespace } from './argo-kustomize.ts';
import { prepareDumpDir, writeDump } from './dump.ts';
import { crdScopesOf } from '../core/graph.ts';
import { hasKustomization } from './kustomization-files.ts';
import { helmChartSkip } from './helm-chart-path.ts';
import { checkCluster } from '../core/check-cluster.ts';
import { shapeProblems } from '../core/object-shape.ts';
import { groupOfApiVersion } from '../core/identity.ts';
import { createSourceReader, locate, type SourceReader } from '../core/locate.ts';
import { summarize } from '../report/summary.ts';
import { combinedFixes } from '../report/combined-fixes.ts';
import { conventionFixes } from '../report/convention-fixes.ts';
import { componentProbe } from './component-probe.ts';
import { loadRules } from './load-rules.ts';
import { missingDependencies, renderReleases, type HelmOptions } from '../helm/render-releases.ts';
import type { HelmRelease } from '../helm/release-types.ts';
import { configHash } from './config-hash.ts';

export const TOOL_NAME = 'policy-check';
export const TOOL_VERSION = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version as string;

export interface CheckOptions {
  root: string;
  /** Check these kustomization folders / YAML files instead of clusters/ (one pseudo-cluster each). */
  paths?: string[];
  clusters?: string[];
  configPath?: string;
  today?: Date;
  onProgress?: (message: string) => void;
  connectivity?: boolean;
  /** The limit of one render in seconds (default: 90 s plus 30 s per MiB the render reads). */
  renderTimeoutSeconds?: number;
  /** Rules to use instead of policies/*.ts (tests, `--rule`). */
  rules?: Rule<any>[];
  /** The rules the config is validated against (default: every rule of policies/); `--rule` loads only those it needs. */
  knownRules?: Rule<any>[];
  /** Helm rendering: --offline, --chart-cache. */
  helm?: HelmOptions;
  /** `--dump DIR`: write what each entry point renders to DIR/<cluster>/<entry point>.yaml. */
  dump?: string;
  /** Where renders are kept between runs (default: $POLICY_CHECK_RENDER_CACHE, else ~/.cache/policy-check/renders); false: none. */
  renderCache?: string | false;
}

/** Renders one entry point, from the render cache when its inputs are unchanged. */
type Renderer = (entry: EntryPoint, annotate: boolean) => Promise<RenderResult>;

/** The entry points of this run that came from the render cache. */
const cachedRenders = new WeakSet<EntryPoint>();

function renderer(root: string, kustomize: KustomizeBinary, read: SourceReader, renderTimeoutSeconds: number | undefined, cacheDir: string | undefined, revision: string | undefined): Renderer {
  const cache = cacheDir ? new RenderCache(cacheDir) : undefined;
  return async (entry, annotate) => {
    const key = cache ? renderKey(root, entry, kustomize, annotate, revision) : undefined;
    const kept = key ? cache!.get(key) : undefined;
    if (kept) {
      cachedRenders.add(entry);
      return kept;
    }
    cachedRenders.delete(entry);
    const result = await renderEntryPoint(root, entry, kustomize, { read, timeoutSeconds: renderTimeoutSeconds, annotate, revision });
    if (key && result.problems.length === 0) cache!.set(key, result);
    return result;
  };
}

export interface ClusterResult {
  rendered: RenderedCluster;
  graph: ClusterGraph;
  findings: Finding[];
  /** Wall-clock milliseconds from the start of the run until this cluster was rendered (clusters render at once). */
  renderMs: number;
}

export interface CheckResult {
  report: Report;
  clusters: ClusterResult[];
}

export class UnknownClusterError extends Error {}

const MAX_DISCOVERY_DEPTH = 5;

/** Renders one cluster: its root entry point, then whatever reconcilers the rendered objects declare, breadth first. */
/** Entry points a cluster rendered without origin annotations, with the objects they gave. */
interface BareRender {
  entry: EntryPoint;
  objects: RenderedObject[];
}
const bareRenders = new WeakMap<RenderedCluster, BareRender[]>();

/** Flux targetNamespace / Argo CD destination namespace for objects that name none. */
/** What the reconciler does to the objects after its build: who applies them, and Argo CD's destination namespace. */
function withEntryNamespace(objects: RenderedObject[], entry: EntryPoint, known: RenderedObject[]): void {
  for (const rendered of objects) rendered.engine = entry.engine;
  if (entry.argo) applyDestinationNamespace(objects.map((o) => o.object), entry.argo.destinationNamespace, crdScopesOf([...known, ...objects]));
}

/** group/kind/name: namespaces are defaulted after rendering, and matching more objects only renders more. */
const looseKey = (ref: { apiVersion?: unknown; kind?: unknown; name?: unknown }) => `${typeof ref.apiVersion === 'string' ? groupOfApiVersion(ref.apiVersion) : ''}/${String(ref.kind)}/${String(ref.name)}`;

/**
 * The bare renders whose objects findings name are rendered again with origin annotations and put in place of the
 * bare objects, so that the cluster can be checked again with every finding located. Returns whether any was.
 */
async function locateBareRenders(cluster: RenderedCluster, findings: Finding[], render: Renderer): Promise<boolean> {
  const bare = bareRenders.get(cluster) ?? [];
  if (bare.length === 0 || findings.length === 0) return false;
  const named = new Set<string>();
  for (const finding of findings) {
    if (finding.object) named.add(looseKey(finding.object));
    for (const related of finding.related ?? []) if (related.object) named.add(looseKey(related.object));
  }
  const needed = bare.filter((b) => b.objects.some((o) => named.has(looseKey({ apiVersion: o.object.apiVersion, kind: o.object.kind, name: o.object.metadata?.name }))));
  if (needed.length === 0) return false;
  const annotated = await pool(needed, Math.max(2, os.cpus().length), (b) => render(b.entry, true));
  const replacement = new Map<RenderedObject, RenderedObject[]>();
  needed.forEach((b, i) => {
    withEntryNamespace(annotated[i].objects, b.entry, cluster.objects);
    // a render that now fails keeps the bare objects: the failure was not there a moment ago, and the check goes on
    if (annotated[i].problems.length > 0 || annotated[i].objects.length !== b.objects.length) return;
    replacement.set(b.objects[0], annotated[i].objects);
    for (const object of b.objects.slice(1)) replacement.set(object, []);
  });
  cluster.objects = cluster.objects.flatMap((o) => replacement.get(o) ?? [o]);
  bareRenders.set(cluster, bare.filter((b) => !replacement.has(b.objects[0])));
  return replacement.size > 0;
}

async function renderCluster(root: string, seed: EntryPoint, config: CheckConfig, kustomize: KustomizeBinary, read: SourceReader, progress: (m: string) => void, render: Renderer, pathArgument = false, helm: HelmOptions = {}, firstRender?: Promise<RenderResult>): Promise<RenderedCluster> {
  const cluster: RenderedCluster = { name: seed.cluster, entryPoints: [], objects: [], skipped: [], problems: [], helmReleases: [] };
  const releases: HelmRelease[] = [];
  const chart = helmChartSkip(root, seed);
  if (chart) {
    cluster.entryPoints.push(seed);
    cluster.skipped.push(chart);
    return cluster;
  }
  const seen = new Set<string>();
  // two reconcilers deploying the same folder are two deploys (and a conflict to report); the same reconciler seen twice is one
  const keyOf = (e: EntryPoint) => `${e.name}|${e.path}|${JSON.stringify(e.flux ?? e.argo ?? {})}|${JSON.stringify(e.substitute ?? {})}`;
  let wave: EntryPoint[] = [seed];
  seen.add(keyOf(seed));
  // plain YAML given as PATH is often already rendered (a dump of a cluster): its Flux and Argo CD objects are
  // checked as objects, never followed, or the repository would be rendered a second time beside it
  const target = path.resolve(root, seed.path);
  const followsReconcilers = !pathArgument || (fs.statSync(target).isDirectory() && hasKustomization(target));
  // the Helm step of one wave runs beside the kustomize renders of the next; its objects still land before theirs
  let helmStep: Promise<void> | undefined;
  for (let depth = 0; wave.length > 0 && depth <= MAX_DISCOVERY_DEPTH; depth++) {
    progress(`rendering ${seed.cluster}: ${wave.length} entry point${wave.length === 1 ? '' : 's'}`);
    // past the cluster folder, entry points render without origin annotations (half of kustomize's time); one that
    // holds reconcilers renders again with them at once (discovery points at their lines), the others only when
    // a finding lands on one of their objects (see locateBareRenders)
    const annotate = depth === 0;
    const results = await pool(wave, Math.max(2, os.cpus().length), async (entry) => {
      const result = await (entry === seed && firstRender ? firstRender : render(entry, annotate));
      if (annotate || result.annotated || !result.objects.some((o) => isReconciler(o.object))) return result;
      return render(entry, true);
    });
    await helmStep;
    helmStep = undefined;
    const fresh: RenderedObject[] = [];
    results.forEach((result, index) => {
      const entry = wave[index];
      if (depth === 0 && seed.engine === 'path' && cluster.name !== seed.path) entry.engine = engineOf(result.objects);
      cluster.entryPoints.push(entry);
      cluster.problems.push(...result.problems);
      cluster.skipped.push(...(result.skipped ?? []));
      withEntryNamespace(result.objects, entry, cluster.objects);
      if (!annotate && !result.annotated && !result.objects.some((o) => isReconciler(o.object)) && result.objects.length > 0) {
        bareRenders.get(cluster)?.push({ entry, objects: result.objects }) ?? bareRenders.set(cluster, [{ entry, objects: result.objects }]);
      }
      fresh.push(...result.objects);
    });
    cluster.objects.push(...fresh);
    const discovered = discoverFrom(
      // a malformed reconciler is reported by checkCluster's shape check and not followed
      fresh.filter((o) => isReconciler(o.object) && shapeProblems(o.object).length === 0),
      { root, cluster: seed.cluster, known: cluster.objects, repositoryUrls: config.repositoryUrls, where: (o, p) => locate(o, p, read) },
    );
    cluster.skipped.push(...discovered.skipped);
    cluster.problems.push(...discovered.problems);
    if (discovered.helm.length > 0) {
      progress(`rendering ${seed.cluster}: ${discovered.helm.length} Helm release${discovered.helm.length === 1 ? '' : 's'}`);
      const kubernetesVersion = clusterSettings(config, seed.cluster).kubernetesVersion;
      releases.push(...discovered.helm);
      helmStep = renderReleases(discovered.helm, { root, kubernetesVersion, known: cluster.objects, kustomize, options: helm }).then((step) => {
        cluster.objects.push(...step.objects);
        cluster.skipped.push(...step.skipped);
        cluster.problems.push(...step.problems);
        cluster.helmReleases!.push(...step.rendered);
      });
    }
    wave = [];
    for (const entry of discovered.entryPoints) {
      if (!followsReconcilers) {
        cluster.skipped.push({
          cluster: seed.cluster,
          name: entry.name,
          kind: 'entry point',
          declaredIn: entry.declaredIn,
          reason: `${seed.path} is checked as plain YAML, as given; what ${entry.name} deploys is not rendered again (check a cluster, or its kustomization folder, to follow reconcilers)`,
        });
        continue;
      }
      const key = keyOf(entry);
      // an app-of-apps root points back at the cluster folder itself, whatever its destination says
      if (path.posix.normalize(entry.path) === path.posix.normalize(seed.path)) {
        cluster.skipped.push({ cluster: seed.cluster, name: entry.name, kind: 'entry point', declaredIn: entry.declaredIn, reason: `it deploys ${entry.path}, which is already rendered for this cluster` });
        continue;
      }
      if (seen.has(key)) continue;
      seen.add(key);
      wave.push(entry);
    }
  }
  await helmStep;
  cluster.problems.push(...missingDependencies(releases, cluster.objects));
  return cluster;
}

export function currentCommit(root: string): string | undefined {
  try {
    const head = fs.readFileSync(path.join(root, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = path.join(root, '.git', head.slice(5));
    return fs.existsSync(ref) ? fs.readFileSync(ref, 'utf8').trim() : undefined;
  } catch {
    return undefined;
  }
}

async function loadConnectivity(): Promise<(graph: ClusterGraph) => ConnectivityEdge[]> {
  const module = await import('../network/connectivity.ts');
  return module.connectivityOf;
}

/** The clusters (or PATH arguments) a run starts from. Throws UnknownClusterError. */
function seedsOf(root: string, options: CheckOptions): EntryPoint[] {
  let seeds: EntryPoint[];
  if (options.paths && options.paths.length > 0) {
    seeds = options.paths.map((p) => {
      const relative = path.relative(root, path.resolve(p)).split(path.sep).join('/') || '.';
      return { cluster: relative, engine: 'path', name: relative, path: relative };
    });
  } else {
    const names = clusterNames(root);
    const wanted = options.clusters && options.clusters.length > 0 ? options.clusters : names;
    const unknown = wanted.filter((n) => !names.includes(n));
    if (unknown.length) throw new UnknownClusterError(`unknown cluster ${unknown.join(', ')}; clusters in this repository: ${names.join(', ') || '(none: no clusters/ folder)'}`);
    seeds = wanted.map((name) => ({ cluster: name, engine: 'path', name: `clusters/${name}`, path: `clusters/${name}` }));
  }
  for (const seed of seeds) {
    if (!fs.existsSync(path.resolve(root, seed.path))) throw new UnknownClusterError(`${seed.path}: no such file or folder`);
  }
  return seeds;
}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const root = path.resolve(options.root);
  // the clusters' first renders need neither the rules nor the config: they start while those load
  const rulesLoading = options.knownRules ? Promise.resolve(options.knownRules) : loadRules();
  const kustomizeFinding = findKustomize();
  const read = createSourceReader(root);
  let seeds: EntryPoint[] | undefined;
  let seedError: unknown;
  try {
    seeds = seedsOf(root, options);
  } catch (error) {
    seedError = error;
  }
  const earlyKustomize = await kustomizeFinding.catch(() => undefined);
  const cacheDir = options.renderCache === false ? undefined : (options.renderCache ?? defaultRenderCacheDir());
  const render = earlyKustomize ? renderer(root, earlyKustomize, read, options.renderTimeoutSeconds, cacheDir, currentCommit(root)) : undefined;
  const firstRenders = new Map<EntryPoint, Promise<RenderResult>>();
  if (render && seeds) {
    for (const seed of seeds) {
      const first = render(seed, true);
      first.catch(() => {}); // awaited in renderCluster; a run that stops at a config error never reads it
      firstRenders.set(seed, first);
    }
  }

  // errors in the order a user fixes them: the config, the clusters named, the kustomize binary
  const known = await rulesLoading;
  const rules = options.rules ?? known;
  // config is validated against every known rule, so running a subset never turns config keys into errors
  const today = options.today ?? new Date();
  const config = loadConfig(root, options.configPath, [...rules, ...known.filter((k) => !rules.some((r) => r.id === k.id))], { today });
  const progress = options.onProgress ?? (() => {});
  if (seedError !== undefined || !seeds) throw seedError;
  const kustomize = await kustomizeFinding;
  if (options.dump) prepareDumpDir(options.dump);
  const kustomizeInfo = describeKustomize(kustomize);

  // every cluster's Helm step shares the run's pulls: four clusters on one chart pull it once
  const helm: HelmOptions = { ...options.helm, pulls: new Map() };
  const started = performance.now();
  // each cluster is checked as soon as it is rendered, beside the renders of the others
  const results: ClusterResult[] = await Promise.all(
    seeds.map(async (seed) => {
      const rendered = await renderCluster(root, seed, config, kustomize, read, progress, render!, (options.paths ?? []).length > 0, helm, firstRenders.get(seed));
      const renderMs = Math.round(performance.now() - started);
      if (options.dump) writeDump(options.dump, rendered);
      progress(`checking ${rendered.name}`);
      const check = () => checkCluster({ objects: rendered.objects, problems: rendered.problems, settings: clusterSettings(config, rendered.name), config, rules, sources: read, today });
      let checked = check();
      if (await locateBareRenders(rendered, checked.findings, render!)) checked = check();
      return { rendered, graph: checked.graph, findings: checked.findings, renderMs };
    }),
  );

  const findings = results.flatMap((r) => r.findings);
  const connectivityOf = options.connectivity ? await loadConnectivity() : undefined;
  const clusters: ClusterReport[] = results.map(({ rendered, graph }) => {
    const cluster: ClusterReport = {
      name: rendered.name,
      entryPoints: rendered.entryPoints.map((e) => ({ engine: e.engine, name: e.name, path: e.path, ...(e.declaredIn ? { declaredIn: e.declaredIn } : {}), ...(cachedRenders.has(e) ? { fromCache: true } : {}) })),
      skipped: rendered.skipped,
      objectCount: rendered.objects.length,
    };
    if (rendered.helmReleases?.length) cluster.helmReleases = rendered.helmReleases;
    if (connectivityOf) cluster.connectivity = connectivityOf(graph);
    return cluster;
  });
  const report: Report = {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generatedAt: new Date().toISOString(),
    kustomize: await kustomizeInfo,
    clusters,
    findings,
    summary: summarize(findings),
    rules: rules.map((r) => ({ id: r.id, severity: r.severity, description: r.description })),
  };
  const conventions = await conventionFixes({
    root, read, probe: componentProbe(kustomize),
    clusters: results.map(({ rendered, findings }) => ({
      name: rendered.name, objects: rendered.objects, findings,
      recheck: (objects) => checkCluster({ objects, problems: rendered.problems, settings: clusterSettings(config, rendered.name), config, rules, sources: read, today }).findings,
    })),
  });
  const fixes = combinedFixes(findings, conventions);
  if (fixes.length) report.fixes = fixes;
  const commit = currentCommit(root);
  if (commit) report.commit = commit;
  report.configHash = configHash(root, options.configPath);
  return { report, clusters: results };
}

