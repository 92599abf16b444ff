// Stage "render" for Helm: one release -> the objects the real `helm template` renders for the cluster's Kubernetes
// version, each with an origin pointing at the reconciler (and the values lines), since the chart's files are not here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { isClusterScoped } from '../core/graph.ts';
import type { K8sObject, RenderProblem, RenderedObject } from '../core/types.ts';
import { MAX_ALIAS_COUNT } from '../core/yaml-source.ts';
import type { KustomizeBinary } from '../render/kustomize.ts';
import { run } from '../render/process.ts';
import { fetchChart, type ChartFetch } from './chart-cache.ts';
import type { HelmLookup } from './helm-binary.ts';
import type { HelmRelease, PostRenderer } from './release-types.ts';

export const HELM_TIMEOUT_MS = 120_000;

export interface HelmEnvironment {
  root: string;
  helm: HelmLookup;
  cacheDir: string;
  offline: boolean;
  /** The cluster's Kubernetes version, e.g. "1.33". */
  kubernetesVersion: string;
  /** What .Capabilities.APIVersions holds: built-in group/versions (and group/version/Kind) and the cluster's CRDs. */
  apiVersions: string[];
  kustomize: KustomizeBinary;
  /** Scopes of the CRDs rendered for the cluster, so namespaced custom resources get the release namespace. */
  crdScopes: Map<string, string>;
  /** The run's pulls (HelmOptions.pulls). */
  pulls?: Map<string, Promise<ChartFetch>>;
}

export type HelmRenderResult =
  | { rendered: true; objects: RenderedObject[]; problems: RenderProblem[] }
  /** Not rendered for a reason outside the repository (no helm, chart unreachable): listed as skipped. */
  | { rendered: false; reason: string };

/** helm wants a full semantic version: "1.33" -> "v1.33.0". */
export function helmKubeVersion(version: string): string {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  return match ? `v${match[1]}.${match[2]}.${match[3] ?? '0'}` : version;
}

function helmError(stderr: string, work: string, root: string): string {
  return stderr
    .split(work + path.sep).join('')
    .split(root + path.sep).join('')
    .replace(/^Error:\s*/gm, '')
    // helm's own CLI hint; our users do not run that command
    .replace(/Use --debug flag to render out invalid YAML/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 600);
}

async function postRender(manifests: string, postRenderer: PostRenderer, work: string, index: number, kustomize: KustomizeBinary) {
  const dir = path.join(work, `post-renderer-${index}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'helm-output.yaml'), manifests);
  const kustomization: Record<string, unknown> = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['helm-output.yaml'] };
  if (postRenderer.patches?.length) kustomization.patches = postRenderer.patches;
  if (postRenderer.images?.length) kustomization.images = postRenderer.images;
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), stringify(kustomization));
  return run(kustomize.command, [...kustomize.args, dir], { timeoutMs: HELM_TIMEOUT_MS });
}

/** helm's output -> objects, each remembering the template it came from. */
function parseManifests(output: string, release: HelmRelease, env: HelmEnvironment): { objects: RenderedObject[]; problems: RenderProblem[] } {
  const objects: RenderedObject[] = [];
  const problems: RenderProblem[] = [];
  for (const doc of parseAllDocuments(output)) {
    const template = /#\s*Source:\s*(\S+)/.exec(doc.commentBefore ?? '')?.[1];
    if (doc.errors.length) {
      problems.push({ entryPoint: release.name, message: `chart ${release.chartLabel} rendered invalid YAML${template ? ` in ${template}` : ''}: ${doc.errors[0].message.split('\n')[0]}`, location: release.declaredIn });
      continue;
    }
    const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as K8sObject | null;
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    value.metadata ??= {};
    if (!value.metadata.namespace && !isClusterScoped(value, env.crdScopes)) value.metadata.namespace = release.namespace;
    objects.push({
      object: value,
      origin: {
        transformedBy: [],
        helm: {
          reconciler: release.name,
          chart: release.chartLabel,
          ...(template ? { template } : {}),
          ...(release.declaredIn ? { declaredIn: release.declaredIn } : {}),
          values: release.valueLeaves,
        },
      },
      entryPoint: release.name,
    });
  }
  return { objects, problems };
}

export async function renderHelmRelease(release: HelmRelease, env: HelmEnvironment): Promise<HelmRenderResult> {
  if (!env.helm.found) return { rendered: false, reason: `Helm chart ${release.chartLabel} is not rendered: ${env.helm.reason}` };
  const helm = env.helm.helm;
  let chartPath: string;
  if (release.chart.kind === 'local') {
    chartPath = path.resolve(env.root, release.chart.path);
    if (!fs.existsSync(path.join(chartPath, 'Chart.yaml'))) {
      return { rendered: true, objects: [], problems: [{ entryPoint: release.name, message: `${release.chart.path} has no Chart.yaml`, location: release.declaredIn }] };
    }
  } else {
    const fetched = await fetchChart(release.chart.ref, { cacheDir: env.cacheDir, offline: env.offline, helm, pulls: env.pulls });
    if (!fetched.ok) return { rendered: false, reason: `Helm ${fetched.reason}` };
    chartPath = fetched.file;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-helm-'));
  try {
    const valuesFile = path.join(work, 'values.json');
    fs.writeFileSync(valuesFile, JSON.stringify(release.values));
    const args = ['template', release.releaseName, chartPath, '--namespace', release.namespace, '--values', valuesFile, '--kube-version', helmKubeVersion(release.kubeVersion ?? env.kubernetesVersion), '--skip-tests'];
    for (const apiVersion of release.apiVersions ?? env.apiVersions) args.push('--api-versions', apiVersion);
    if (release.includeCrds) args.push('--include-crds');
    if (release.noHooks) args.push('--no-hooks');
    const home = path.join(env.cacheDir, '.helm');
    const result = await run(helm.command, args, {
      timeoutMs: HELM_TIMEOUT_MS,
      cwd: work,
      env: { ...process.env, HELM_CACHE_HOME: path.join(home, 'cache'), HELM_CONFIG_HOME: path.join(home, 'config'), HELM_DATA_HOME: path.join(home, 'data') },
    });
    if (result.timedOut) return { rendered: true, objects: [], problems: [{ entryPoint: release.name, message: `helm template of ${release.chartLabel} did not finish in ${HELM_TIMEOUT_MS / 1000} s and was stopped`, location: release.declaredIn }] };
    if (result.code !== 0) {
      return { rendered: true, objects: [], problems: [{ entryPoint: release.name, message: `helm template of ${release.chartLabel} failed: ${helmError(result.stderr || result.stdout, work, env.root)}`, location: release.declaredIn }] };
    }
    let manifests = result.stdout;
    for (const [index, postRenderer] of release.postRenderers.entries()) {
      const post = await postRender(manifests, postRenderer, work, index, env.kustomize);
      if (post.code !== 0) {
        return { rendered: true, objects: [], problems: [{ entryPoint: release.name, message: `postRenderers[${index}] (kustomize) failed on ${release.chartLabel}: ${helmError(post.stderr || post.stdout, work, env.root)}`, location: release.declaredIn }] };
      }
      manifests = post.stdout;
    }
    return { rendered: true, ...parseManifests(manifests, release, env) };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
