// Stage "discover": the reconciler objects a cluster folder holds -> the entry points they would deploy.
// Flux Kustomizations and Argo CD Applications/ApplicationSets pointing into this repository are followed;
// anything we cannot follow (remote repositories, Helm charts) is reported as skipped with the reason.
import fs from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { apiGroupOf, describeObject } from '../core/identity.ts';
import type { EntryPoint, K8sObject, RenderProblem, RenderedObject, SkippedSource, SourceLocation } from '../core/types.ts';
import { argoHelmSource, fluxHelmRelease, type HelmDiscovery } from '../helm/discover-helm.ts';
import type { HelmRelease } from '../helm/release-types.ts';
import { argoSourceType } from './argo-kustomize.ts';

export interface DiscoverContext {
  root: string;
  cluster: string;
  /** Every object of the cluster rendered so far (GitRepositories, ConfigMaps for substituteFrom...). */
  known: RenderedObject[];
  repositoryUrls: string[];
  where(object: RenderedObject, fieldPath: (string | number)[]): SourceLocation | undefined;
}

export interface Discovered {
  entryPoints: EntryPoint[];
  /** Helm releases to render with the real helm (tools/lib/helm). */
  helm: HelmRelease[];
  skipped: SkippedSource[];
  problems: RenderProblem[];
}

export function clusterNames(root: string): string[] {
  const dir = path.join(root, 'clusters');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}


const isFluxKustomization = (o: K8sObject) => o.kind === 'Kustomization' && apiGroupOf(o) === 'kustomize.toolkit.fluxcd.io';
const isArgoApplication = (o: K8sObject) => o.kind === 'Application' && apiGroupOf(o) === 'argoproj.io';
const isArgoApplicationSet = (o: K8sObject) => o.kind === 'ApplicationSet' && apiGroupOf(o) === 'argoproj.io';
const isHelmRelease = (o: K8sObject) => o.kind === 'HelmRelease' && apiGroupOf(o) === 'helm.toolkit.fluxcd.io';

export function isReconciler(o: K8sObject): boolean {
  return isFluxKustomization(o) || isArgoApplication(o) || isArgoApplicationSet(o) || isHelmRelease(o);
}

function normalizeRepoPath(p: unknown): string {
  const text = typeof p === 'string' && p.trim() ? p.trim() : '.';
  const normalized = path.posix.normalize(text.replace(/^\.\//, '').replace(/^\//, ''));
  return normalized === '' ? '.' : normalized.replace(/\/$/, '');
}

function normalizeUrl(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^git@([^:]+):/, 'https://$1/')
    .replace(/^ssh:\/\/git@/, 'https://')
    .replace(/\.git$/, '')
    .replace(/\/$/, '');
}

function isThisRepository(url: unknown, urls: string[]): boolean {
  if (typeof url !== 'string') return false;
  if (urls.length === 0) return true;
  return urls.map(normalizeUrl).includes(normalizeUrl(url));
}


function decodeSecretData(secret: K8sObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((secret as any).data ?? {})) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  return { ...out, ...((secret as any).stringData ?? {}) };
}

function remoteClusterReason(kubeConfig: any): string {
  const ref = kubeConfig.secretRef ? `Secret ${kubeConfig.secretRef.name}` : `ConfigMap ${kubeConfig.configMapRef.name}`;
  return `spec.kubeConfig (${ref}) makes Flux apply it to another cluster, which this cluster folder does not describe`;
}

function fluxEntryPoint(rendered: RenderedObject, ctx: DiscoverContext, out: Discovered): void {
  const o = rendered.object;
  const spec = (o as any).spec ?? {};
  const declaredIn = ctx.where(rendered, ['spec', 'path']);
  const skip = (reason: string): void => void out.skipped.push({ cluster: ctx.cluster, name: describeObject(o), kind: o.kind, declaredIn, reason });
  // kustomize-controller v1.4.0 kustomization_controller.go:364 NewImpersonator(..., obj.Spec.KubeConfig, ...): the apply goes to that kubeconfig's cluster
  if (spec.kubeConfig?.secretRef || spec.kubeConfig?.configMapRef) {
    return void out.skipped.push({ cluster: ctx.cluster, name: describeObject(o), kind: o.kind, declaredIn: ctx.where(rendered, ['spec', 'kubeConfig']), reason: remoteClusterReason(spec.kubeConfig) });
  }
  const sourceKind = spec.sourceRef?.kind ?? 'GitRepository';
  if (sourceKind !== 'GitRepository') return skip(`its source is ${sourceKind} ${spec.sourceRef?.name}, not this git repository`);
  const sourceNamespace = spec.sourceRef?.namespace ?? o.metadata.namespace;
  const source = ctx.known.find(
    (k) => k.object.kind === 'GitRepository' && k.object.metadata.name === spec.sourceRef?.name && (k.object.metadata.namespace ?? sourceNamespace) === sourceNamespace,
  );
  const url = (source?.object as any)?.spec?.url;
  if (source && !isThisRepository(url, ctx.repositoryUrls)) return skip(`GitRepository ${spec.sourceRef?.name} points at ${url}, not this repository`);

  const variables: Record<string, string> = {};
  for (const from of spec.postBuild?.substituteFrom ?? []) {
    const found = ctx.known.find(
      (k) => k.object.kind === from.kind && k.object.metadata.name === from.name && (k.object.metadata.namespace ?? 'default') === (o.metadata.namespace ?? 'default'),
    );
    if (!found) {
      if (!from.optional) {
        out.problems.push({
          entryPoint: describeObject(o),
          message: `postBuild.substituteFrom ${from.kind} ${from.name} is not in this repository for cluster ${ctx.cluster}; Flux would fail this Kustomization (mark it optional: true if it is created out of band)`,
          location: ctx.where(rendered, ['spec', 'postBuild', 'substituteFrom']),
        });
      }
      continue;
    }
    Object.assign(variables, from.kind === 'Secret' ? decodeSecretData(found.object) : ((found.object as any).data ?? {}));
  }
  Object.assign(variables, spec.postBuild?.substitute ?? {});

  const entry: EntryPoint = {
    cluster: ctx.cluster,
    engine: 'flux',
    name: describeObject(o),
    path: normalizeRepoPath(spec.path),
    flux: spec,
    declaredIn,
  };
  if (spec.postBuild) entry.substitute = variables;
  out.entryPoints.push(entry);
}

/** A chart folder Argo CD renders with helm: Helm by the source type (repository.go GetAppSourceType), with a Chart.yaml to render. */
function isArgoChartFolder(source: Record<string, any>, folder: string): boolean {
  if (!fs.existsSync(path.join(folder, 'Chart.yaml'))) return false;
  try {
    return argoSourceType(source, folder) === 'Helm';
  } catch {
    return false; // more than one explicit type: the build reports Argo CD's error
  }
}

/** `appName`: the Application's own name (ARGOCD_APP_NAME); an ApplicationSet's are shown as `<set>/<name>`. */
function argoEntryPoints(rendered: RenderedObject, application: K8sObject, ctx: DiscoverContext, out: Discovered, declaredPath: (string | number)[], appName = String(application.metadata?.name ?? '')): void {
  const spec = (application as any).spec ?? {};
  const sources: any[] = Array.isArray(spec.sources) ? spec.sources : spec.source ? [spec.source] : [];
  const declaredIn = ctx.where(rendered, declaredPath);
  if (sources.length === 0) {
    out.skipped.push({ cluster: ctx.cluster, name: describeObject(application), kind: application.kind, declaredIn, reason: 'it has no source' });
  }
  sources.forEach((source, index) => {
    const skip = (reason: string): void => void out.skipped.push({ cluster: ctx.cluster, name: describeObject(application), kind: application.kind, declaredIn, reason });
    const sourcePath = Array.isArray(spec.sources) ? ['spec', 'sources', index] : ['spec', 'source'];
    if (source.chart) return addHelm(argoHelmSource(rendered, application, source, sources, sourcePath, ctx), out, ctx, describeObject(application), application.kind, declaredIn);
    if (source.path === undefined && source.ref) return; // a values-only source for another source's Helm chart
    if (!isThisRepository(source.repoURL, ctx.repositoryUrls)) return skip(`source ${source.repoURL} is not this repository`);
    const repoPath = normalizeRepoPath(source.path);
    if (isArgoChartFolder(source, path.join(ctx.root, repoPath))) return addHelm(argoHelmSource(rendered, application, source, sources, sourcePath, ctx, repoPath), out, ctx, describeObject(application), application.kind, declaredIn);
    const entry: EntryPoint = {
      cluster: ctx.cluster,
      engine: 'argocd',
      name: sources.length > 1 ? `${describeObject(application)} (source ${index + 1})` : describeObject(application),
      path: repoPath,
      argo: { application: appName, source, ...(spec.destination?.namespace ? { destinationNamespace: spec.destination.namespace } : {}) },
      declaredIn,
    };
    out.entryPoints.push(entry);
  });
}

/** Parameters of an ApplicationSet's git directory generator, from this repository's folders. */
function gitDirectoryParams(root: string, generator: any): Record<string, unknown>[] {
  const directories: any[] = generator.directories ?? [];
  const include = directories.filter((d) => !d.exclude).map((d) => normalizeRepoPath(d.path));
  const exclude = directories.filter((d) => d.exclude).map((d) => normalizeRepoPath(d.path));
  const found = new Set<string>();
  const walk = (relative: string, depth: number) => {
    if (depth > 6) return;
    const absolute = path.join(root, relative);
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = relative === '.' ? entry.name : `${relative}/${entry.name}`;
      if (include.some((p) => minimatch(child, p)) && !exclude.some((p) => minimatch(child, p))) found.add(child);
      walk(child, depth + 1);
    }
  };
  walk('.', 0);
  return [...found].sort().map((p) => {
    const segments = p.split('/');
    const basename = segments[segments.length - 1];
    return { path: p, basename, basenameNormalized: basename.replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase(), segments };
  });
}

/** Substitutes ApplicationSet parameters into a template, in fasttemplate ({{path.basename}}) or Go template ({{.path.basename}}) style. */
export function renderApplicationSetTemplate(template: unknown, params: Record<string, unknown>, goTemplate: boolean): any {
  const lookup = (expression: string): string | undefined => {
    const e = expression.trim();
    let value: any;
    if (goTemplate) {
      const index = e.match(/^index\s+\.([\w.]+)\s+(\d+)$/);
      const keyPath = (index ? index[1] : e.replace(/^\./, '')).split('.');
      value = params;
      for (const key of keyPath) value = value?.[key];
      if (index) value = Array.isArray(value) ? value[Number(index[2])] : undefined;
    } else {
      // fasttemplate: {{path}} is the path, {{path.basename}} its last segment, {{path[N]}} its Nth segment
      const p = params.path as any;
      const segment = e.match(/^path\[(\d+)\]$/);
      if (segment) value = p?.segments?.[Number(segment[1])];
      else if (e === 'path' && p && typeof p === 'object') value = p.path;
      else if (e.startsWith('path.') && p && typeof p === 'object') value = p[e.slice(5)];
      else value = params[e];
    }
    return value === undefined || typeof value === 'object' ? undefined : String(value);
  };
  const text = JSON.stringify(template).replace(/\{\{([^}]+)\}\}/g, (match, expression) => {
    const value = lookup(expression);
    return value === undefined ? match : JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(text);
}

function applicationSetEntryPoints(rendered: RenderedObject, ctx: DiscoverContext, out: Discovered): void {
  const o = rendered.object;
  const spec = (o as any).spec ?? {};
  const skip = (reason: string) =>
    out.skipped.push({ cluster: ctx.cluster, name: describeObject(o), kind: o.kind, declaredIn: ctx.where(rendered, ['spec', 'generators']), reason });
  for (const [index, generator] of ((spec.generators ?? []) as any[]).entries()) {
    let params: Record<string, unknown>[];
    if (generator.list) {
      params = (generator.list.elements ?? []) as Record<string, unknown>[];
    } else if (generator.git) {
      if (!isThisRepository(generator.git.repoURL, ctx.repositoryUrls)) {
        skip(`git generator reads ${generator.git.repoURL}, not this repository`);
        continue;
      }
      if (!generator.git.directories) {
        skip('git file generators are not followed; use the directories form');
        continue;
      }
      params = gitDirectoryParams(ctx.root, generator.git).map((p) => ({ path: p }));
    } else {
      skip(`generator ${Object.keys(generator).join(', ')} is not followed (list and git directories are)`);
      continue;
    }
    for (const param of params) {
      const application = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { ...(spec.template?.metadata ?? {}), namespace: o.metadata.namespace },
        spec: spec.template?.spec ?? {},
      };
      const rendered0 = renderApplicationSetTemplate(application, param, spec.goTemplate === true) as K8sObject;
      const appName = String(rendered0.metadata.name ?? '');
      rendered0.metadata.name = `${o.metadata.name}/${appName}`;
      argoEntryPoints(rendered, rendered0, ctx, out, ['spec', 'generators', index], appName);
    }
  }
}

/** A Helm release to render, a skip (something we cannot follow) or a problem (the repository is wrong). */
function addHelm(found: HelmDiscovery, out: Discovered, ctx: DiscoverContext, name: string, kind: string, declaredIn: SourceLocation | undefined): void {
  if (found.ok) out.helm.push(found.release);
  else if (found.problem) out.problems.push({ entryPoint: name, message: found.reason, ...(declaredIn ? { location: declaredIn } : {}) });
  else out.skipped.push({ cluster: ctx.cluster, name, kind, declaredIn, reason: found.reason });
}

/** Entry points and skipped sources declared by the reconciler objects among `objects`. */
export function discoverFrom(objects: RenderedObject[], ctx: DiscoverContext): Discovered {
  const out: Discovered = { entryPoints: [], helm: [], skipped: [], problems: [] };
  for (const rendered of objects) {
    const o = rendered.object;
    if (isFluxKustomization(o)) fluxEntryPoint(rendered, ctx, out);
    else if (isArgoApplication(o)) argoEntryPoints(rendered, o, ctx, out, ['spec']);
    else if (isArgoApplicationSet(o)) applicationSetEntryPoints(rendered, ctx, out);
    else if (isHelmRelease(o) && ((o as any).spec?.kubeConfig?.secretRef || (o as any).spec?.kubeConfig?.configMapRef)) {
      // helm-controller v1.1.0 helmrelease_controller.go:678 buildRESTClientGetter: the release goes to the kubeconfig's cluster
      out.skipped.push({ cluster: ctx.cluster, name: describeObject(o), kind: o.kind, declaredIn: ctx.where(rendered, ['spec', 'kubeConfig']), reason: remoteClusterReason((o as any).spec.kubeConfig) });
    } else if (isHelmRelease(o)) addHelm(fluxHelmRelease(rendered, ctx), out, ctx, describeObject(o), o.kind, ctx.where(rendered, ['spec', (o as any).spec?.chartRef ? 'chartRef' : 'chart']));
  }
  return out;
}

export function engineOf(objects: RenderedObject[]): EntryPoint['engine'] {
  if (objects.some((o) => isFluxKustomization(o.object) || isHelmRelease(o.object))) return 'flux';
  if (objects.some((o) => isArgoApplication(o.object) || isArgoApplicationSet(o.object))) return 'argocd';
  return 'path';
}
