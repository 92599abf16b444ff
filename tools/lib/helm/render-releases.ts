// The Helm step of one cluster's render: the releases discovery found -> rendered objects, skips and problems.
import type { RenderedObject, RenderProblem, SkippedSource } from '../core/types.ts';
import type { KustomizeBinary } from '../render/kustomize.ts';
import { clusterApiVersions, crdScopesOf } from './capabilities.ts';
import { chartCacheDir, type ChartFetch } from './chart-cache.ts';

/** POLICY_CHECK_OFFLINE=1 is --offline, for CI jobs and test runs that must not reach chart repositories. */
export const OFFLINE_ENV = 'POLICY_CHECK_OFFLINE';
import { findHelm } from './helm-binary.ts';
import type { HelmRelease } from './release-types.ts';
import { renderHelmRelease } from './render-helm.ts';

export interface HelmOptions {
  /** Use only charts already in the cache. */
  offline?: boolean;
  /** The chart cache folder (default: see chartCacheDir). */
  chartCache?: string;
  /** One run's pulls by chart: a chart the clusters share is pulled (or fails to be) once per run. */
  pulls?: Map<string, Promise<ChartFetch>>;
}

export interface RenderedRelease {
  name: string;
  chart: string;
  objectCount: number;
  declaredIn?: HelmRelease['declaredIn'];
}

export interface HelmStep {
  objects: RenderedObject[];
  rendered: RenderedRelease[];
  skipped: SkippedSource[];
  problems: RenderProblem[];
}

export async function renderReleases(
  releases: HelmRelease[],
  context: { root: string; kubernetesVersion: string; known: RenderedObject[]; kustomize: KustomizeBinary; options: HelmOptions },
): Promise<HelmStep> {
  const step: HelmStep = { objects: [], rendered: [], skipped: [], problems: [] };
  if (releases.length === 0) return step;
  const env = {
    root: context.root,
    helm: await findHelm(),
    cacheDir: chartCacheDir(context.options.chartCache),
    offline: context.options.offline === true || process.env[OFFLINE_ENV] === '1',
    kubernetesVersion: context.kubernetesVersion,
    apiVersions: clusterApiVersions(context.kubernetesVersion, context.known),
    kustomize: context.kustomize,
    crdScopes: crdScopesOf(context.known),
    pulls: context.options.pulls,
  };
  // one at a time: helm template is CPU-bound and the kustomize renders of the other clusters run beside it
  for (const release of releases) {
    const namespace = createdNamespace(release, [...context.known, ...step.objects]);
    if (namespace) step.objects.push(namespace);
    const result = await renderHelmRelease(release, env);
    if (!result.rendered) {
      step.skipped.push({ cluster: release.cluster, name: release.name, kind: release.engine === 'flux' ? 'HelmRelease' : 'Application', ...(release.declaredIn ? { declaredIn: release.declaredIn } : {}), reason: result.reason });
      continue;
    }
    step.objects.push(...result.objects);
    step.problems.push(...result.problems);
    if (result.problems.length === 0) step.rendered.push({ name: release.name, chart: release.chartLabel, objectCount: result.objects.length, ...(release.declaredIn ? { declaredIn: release.declaredIn } : {}) });
  }
  return step;
}

/** The Namespace a reconciler creates for the release, unless the repository renders one itself (which then wins). */
function createdNamespace(release: HelmRelease, objects: RenderedObject[]): RenderedObject | undefined {
  if (!release.createNamespace) return undefined;
  if (objects.some(({ object }) => object.kind === 'Namespace' && object.apiVersion === 'v1' && object.metadata.name === release.namespace)) return undefined;
  const { labels, annotations, declaredIn } = release.createNamespace;
  const metadata: Record<string, unknown> = { name: release.namespace };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  return {
    object: { apiVersion: 'v1', kind: 'Namespace', metadata } as RenderedObject['object'],
    origin: { transformedBy: [], helm: { reconciler: release.name, chart: release.chartLabel, ...(declaredIn ? { declaredIn } : {}), values: [] } },
    entryPoint: release.name,
  };
}

/** Flux dependsOn naming a HelmRelease this cluster does not have: helm-controller would wait for it forever. */
export function missingDependencies(releases: HelmRelease[], objects: RenderedObject[]): RenderProblem[] {
  const names = new Set(
    objects
      .filter(({ object }) => object.kind === 'HelmRelease' && object.apiVersion.startsWith('helm.toolkit.fluxcd.io/'))
      .map(({ object }) => `HelmRelease ${object.metadata.namespace ?? 'default'}/${object.metadata.name}`),
  );
  const problems: RenderProblem[] = [];
  for (const release of releases) {
    for (const dependency of release.dependsOn) {
      const wanted = `HelmRelease ${dependency.namespace}/${dependency.name}`;
      if (!names.has(wanted)) {
        problems.push({ entryPoint: release.name, message: `dependsOn ${wanted}, which is not in this cluster; helm-controller would never install this release`, ...(release.declaredIn ? { location: release.declaredIn } : {}) });
      }
    }
  }
  return problems;
}
