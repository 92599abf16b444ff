// Discovery for Helm: a Flux HelmRelease or an Argo CD Helm source -> the release helm would install, or why we cannot tell.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { apiGroupOf, describeObject } from '../core/identity.ts';
import type { FieldPath, K8sObject, RenderedObject, SourceLocation } from '../core/types.ts';
import { MAX_ALIAS_COUNT, parseSource, positionOf, walkPath } from '../core/yaml-source.ts';
import type { DiscoverContext } from '../render/discover.ts';
import { isOci, type ChartRef } from './chart-cache.ts';
import type { ChartLocation, HelmRelease, PostRenderer } from './release-types.ts';
import { effectiveLeaves, isPlainObject, leavesOf, mergeValues, parseSetPath, setValue, typedSetValue, type ValueLeaf, type Values } from './values.ts';

/** `problem`: the repository is wrong (Flux / Argo CD would fail too): a render/failed finding, not a skip. */
export type HelmDiscovery = { ok: true; release: HelmRelease } | { ok: false; reason: string; problem?: boolean };

/** A mistake in the repository itself, as opposed to something we cannot follow. */
class HelmInputError extends Error {}

/** Flux's default release name: [targetNamespace-]name, shortened to 53 characters with a hash as helm-controller does. */
export function fluxReleaseName(name: string, targetNamespace?: string): string {
  const full = targetNamespace ? `${targetNamespace}-${name}` : name;
  if (full.length <= 53) return full;
  return `${full.slice(0, 40)}-${createHashHex(full).slice(0, 12)}`;
}

const createHashHex = (text: string) => createHash('sha256').update(text).digest('hex');

const nameOf = describeObject;

function findKnown(ctx: DiscoverContext, kind: string, name: unknown, namespace: string, group?: string): RenderedObject | undefined {
  return ctx.known.find(
    (k) =>
      k.object.kind === kind &&
      k.object.metadata.name === name &&
      (k.object.metadata.namespace ?? namespace) === namespace &&
      (group === undefined || apiGroupOf(k.object) === group),
  );
}

/** Each leaf's location is found when something asks for it (a finding on a chart's object): most are never asked. */
function leavesWithLocations(values: unknown, locate: (path: FieldPath) => SourceLocation | undefined): ValueLeaf[] {
  return leavesOf(values).map((leaf) => {
    let location: SourceLocation | undefined | null = null;
    return Object.defineProperty({ ...leaf }, 'location', {
      enumerable: true,
      get: () => (location === null ? (location = locate(leaf.path)) : location),
    }) as ValueLeaf;
  });
}

/** Where each leaf of a YAML document (values written as text in a file or a ConfigMap key) is, shifted to its place in the file. */
function leavesInText(text: string, values: unknown, file: string, lineOffset: number, columnOffset: number): ValueLeaf[] {
  const source = parseSource(text);
  const root = source.documents[0]?.contents ?? undefined;
  return leavesOf(values).map((leaf) => {
    if (!root) return { ...leaf, location: { file, line: lineOffset + 1, column: columnOffset + 1 } };
    const walked = walkPath(root as any, leaf.path);
    const pos = positionOf(source, walked.keyNode ?? walked.node);
    return { ...leaf, location: { file, line: pos.line + lineOffset, column: pos.column + columnOffset } };
  });
}

function parseValuesText(text: string, what: string): Values {
  let parsed: unknown;
  try {
    parsed = parse(text, { maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new HelmInputError(`${what} is not valid YAML: ${(error as Error).message.split('\n')[0].replace(/:\s*$/, '')}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed)) throw new HelmInputError(`${what} is not a YAML map of values`);
  return parsed;
}

function secretData(secret: K8sObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(((secret as any).data ?? {}) as Record<string, unknown>)) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  return { ...out, ...(((secret as any).stringData ?? {}) as Record<string, string>) };
}

/** The indentation of a block scalar's content, read from the file, so lines inside a ConfigMap key can be pointed at. */
function blockIndent(root: string, location: SourceLocation): number | undefined {
  try {
    const lines = fs.readFileSync(path.join(root, location.file), 'utf8').split('\n');
    const header = lines[location.line - 1] ?? '';
    if (!/:\s*[|>][-+0-9]*\s*(#.*)?$/.test(header)) return undefined;
    const first = lines.slice(location.line).find((l) => l.trim() !== '');
    return first === undefined ? undefined : first.length - first.trimStart().length;
  } catch {
    return undefined;
  }
}

interface ValuesLayer {
  values: Values;
  leaves: ValueLeaf[];
  /** targetPath / parameters: applied as `--set` on the merged values. */
  set?: { path: FieldPath; value: unknown };
}

function combine(layers: ValuesLayer[]): { values: Values; valueLeaves: ValueLeaf[] } {
  let values: Values = {};
  for (const layer of layers) values = layer.set ? setValue(values, layer.set.path, layer.set.value) : mergeValues(values, layer.values);
  return { values, valueLeaves: effectiveLeaves(layers.map((l) => l.leaves)) };
}

/** Flux valuesFrom: ConfigMaps and Secrets of the release's namespace, in order, each a whole values file or one value at targetPath. */
function fluxValuesFrom(rendered: RenderedObject, ctx: DiscoverContext, namespace: string): ValuesLayer[] {
  const spec = (rendered.object as any).spec ?? {};
  const layers: ValuesLayer[] = [];
  for (const [index, from] of ((Array.isArray(spec.valuesFrom) ? spec.valuesFrom : []) as any[]).entries()) {
    const kind = from?.kind;
    if (kind !== 'ConfigMap' && kind !== 'Secret') throw new HelmInputError(`valuesFrom[${index}] has kind ${kind}; Flux reads only ConfigMap and Secret`);
    const key = typeof from.valuesKey === 'string' && from.valuesKey ? from.valuesKey : 'values.yaml';
    const found = findKnown(ctx, kind, from.name, namespace, '');
    const data: Record<string, string> | undefined = found ? (kind === 'Secret' ? secretData(found.object) : ((found.object as any).data ?? {})) : undefined;
    if (!found || data?.[key] === undefined) {
      if (from.optional === true) continue;
      if (found) throw new HelmInputError(`valuesFrom ${kind} ${namespace}/${from.name} has no key ${key}; helm-controller would fail this release`);
      throw new Error(`valuesFrom ${kind} ${namespace}/${from.name} is not in this repository for cluster ${ctx.cluster} (created out of band? mark it optional: true if the release works without it)`);
    }
    const text = String(data![key]);
    const field = kind === 'Secret' && (found.object as any).stringData?.[key] !== undefined ? 'stringData' : 'data';
    const keyLocation = ctx.where(found, [field, key]);
    if (typeof from.targetPath === 'string' && from.targetPath) {
      const quoted = /^(['"])([\s\S]*)\1$/.exec(text);
      const value = quoted ? quoted[2] : typedSetValue(text);
      const targetPath = parseSetPath(from.targetPath);
      layers.push({ values: {}, leaves: [{ path: targetPath, value, location: keyLocation }], set: { path: targetPath, value } });
      continue;
    }
    const values = parseValuesText(text, `valuesFrom ${kind} ${namespace}/${from.name} key ${key}`);
    const indent = field !== 'data' || kind === 'ConfigMap' ? (keyLocation ? blockIndent(ctx.root, keyLocation) : undefined) : undefined;
    const leaves =
      keyLocation && indent !== undefined
        ? leavesInText(text, values, keyLocation.file, keyLocation.line, indent)
        : leavesWithLocations(values, () => keyLocation);
    layers.push({ values, leaves });
  }
  return layers;
}

function chartFromHelmRepository(repo: RenderedObject, chart: string, version: string): ChartLocation {
  const url = String((repo.object as any).spec?.url ?? '');
  const spec = (repo.object as any).spec ?? {};
  const repoUrl = spec.type === 'oci' && !isOci(url) ? `oci://${url}` : url;
  const ref: ChartRef = { repoUrl, chart, version, ...(isOci(repoUrl) && spec.insecure === true ? { plainHttp: true } : {}) };
  return { kind: 'repository', ref };
}

const label = (chart: ChartLocation) => (chart.kind === 'local' ? `chart folder ${chart.path}` : `${chart.ref.chart} ${chart.ref.version} from ${chart.ref.repoUrl}`);

/** A chart named by a HelmRelease's chart.spec or a HelmChart's spec: a chart repository, or a folder of this git repository. */
function chartFromSpec(chartSpec: any, namespace: string, ctx: DiscoverContext, what: string): ChartLocation {
  const sourceRef = chartSpec?.sourceRef ?? {};
  const sourceNamespace = sourceRef.namespace ?? namespace;
  const version = typeof chartSpec?.version === 'string' && chartSpec.version.trim() ? chartSpec.version.trim() : '*';
  const chartName = `Helm chart ${chartSpec?.chart ?? '?'} ${version}`;
  if (sourceRef.kind === 'HelmRepository') {
    const repo = findKnown(ctx, 'HelmRepository', sourceRef.name, sourceNamespace, 'source.toolkit.fluxcd.io');
    if (!repo) throw new Error(`${chartName} is not rendered: its HelmRepository ${sourceNamespace}/${sourceRef.name} is not in this cluster`);
    if (!(repo.object as any).spec?.url) throw new HelmInputError(`HelmRepository ${sourceNamespace}/${sourceRef.name} has no spec.url`);
    return chartFromHelmRepository(repo, String(chartSpec.chart), version);
  }
  if (sourceRef.kind === 'GitRepository') {
    const git = findKnown(ctx, 'GitRepository', sourceRef.name, sourceNamespace, 'source.toolkit.fluxcd.io');
    const url = (git?.object as any)?.spec?.url;
    if (git && ctx.repositoryUrls.length > 0 && !sameRepository(url, ctx.repositoryUrls)) throw new Error(`${chartName} is not rendered: it comes from GitRepository ${sourceRef.name} (${url}), not this repository`);
    return { kind: 'local', path: path.posix.normalize(String(chartSpec.chart ?? '.').replace(/^\.?\//, '')) };
  }
  throw new Error(`${chartName} is not rendered: it comes from ${sourceRef.kind ?? 'no sourceRef'} (${what}); charts from HelmRepository and GitRepository sources are`);
}

function sameRepository(url: unknown, urls: string[]): boolean {
  const norm = (u: string) => u.trim().toLowerCase().replace(/^git@([^:]+):/, 'https://$1/').replace(/^ssh:\/\/git@/, 'https://').replace(/\.git$/, '').replace(/\/$/, '');
  return typeof url === 'string' && urls.map(norm).includes(norm(url));
}

/** Flux chartRef: an OCIRepository (the chart is the artifact at its URL) or a HelmChart object. */
function chartFromChartRef(chartRef: any, namespace: string, ctx: DiscoverContext): { chart: ChartLocation; valuesFiles?: string[] } {
  const refNamespace = chartRef.namespace ?? namespace;
  if (chartRef.kind === 'OCIRepository') {
    const oci = findKnown(ctx, 'OCIRepository', chartRef.name, refNamespace, 'source.toolkit.fluxcd.io');
    if (!oci) throw new Error(`chartRef names OCIRepository ${refNamespace}/${chartRef.name}, which is not in this cluster`);
    const spec = (oci.object as any).spec ?? {};
    const url = String(spec.url ?? '').replace(/\/+$/, '');
    if (!isOci(url)) throw new Error(`OCIRepository ${refNamespace}/${chartRef.name} has no oci:// url`);
    if (spec.ref?.digest && !spec.ref?.tag && !spec.ref?.semver) throw new Error(`OCIRepository ${refNamespace}/${chartRef.name} pins a digest; pin a tag to have it rendered`);
    const version = String(spec.ref?.tag ?? spec.ref?.semver ?? 'latest');
    const slash = url.lastIndexOf('/');
    return { chart: { kind: 'repository', ref: { repoUrl: url.slice(0, slash), chart: url.slice(slash + 1), version, ...(spec.insecure === true ? { plainHttp: true } : {}) } } };
  }
  if (chartRef.kind === 'HelmChart') {
    const helmChart = findKnown(ctx, 'HelmChart', chartRef.name, refNamespace, 'source.toolkit.fluxcd.io');
    if (!helmChart) throw new Error(`chartRef names HelmChart ${refNamespace}/${chartRef.name}, which is not in this cluster`);
    const spec = (helmChart.object as any).spec ?? {};
    return { chart: chartFromSpec(spec, refNamespace, ctx, `HelmChart ${refNamespace}/${chartRef.name}`), valuesFiles: spec.valuesFiles };
  }
  throw new Error(`chartRef kind ${chartRef.kind} is not OCIRepository or HelmChart`);
}

/** Values files of a local chart (Flux valuesFiles, Argo valueFiles): repository files, located leaf by leaf. */
function valuesFileLayer(root: string, file: string, optional: boolean): ValuesLayer | undefined {
  const absolute = path.resolve(root, file);
  const relative = path.relative(root, absolute).split(path.sep).join('/');
  if (relative.startsWith('..')) throw new HelmInputError(`values file ${file} is outside this repository`);
  if (!fs.existsSync(absolute)) {
    if (optional) return undefined;
    throw new HelmInputError(`values file ${relative} does not exist in this repository`);
  }
  const text = fs.readFileSync(absolute, 'utf8');
  const values = parseValuesText(text, relative);
  return { values, leaves: leavesInText(text, values, relative, 0, 0) };
}

/** A Flux HelmRelease -> the release helm-controller would install. */
export function fluxHelmRelease(rendered: RenderedObject, ctx: DiscoverContext): HelmDiscovery {
  const o = rendered.object;
  const spec = (o as any).spec ?? {};
  const namespace = o.metadata.namespace ?? 'default';
  const chartSpec = spec.chart?.spec ?? {};
  const described = spec.chartRef ? `of chartRef ${spec.chartRef.kind} ${spec.chartRef.name}` : `${chartSpec.chart ?? '?'} ${chartSpec.version ?? '*'}`;
  try {
    let chart: ChartLocation;
    let valuesFiles: string[] | undefined;
    let declaredPath: FieldPath;
    if (spec.chartRef) {
      ({ chart, valuesFiles } = chartFromChartRef(spec.chartRef, namespace, ctx));
      declaredPath = ['spec', 'chartRef'];
    } else {
      chart = chartFromSpec(spec.chart?.spec, namespace, ctx, nameOf(o));
      valuesFiles = spec.chart?.spec?.valuesFiles;
      declaredPath = ['spec', 'chart'];
    }
    const layers: ValuesLayer[] = [];
    if (Array.isArray(valuesFiles) && valuesFiles.length > 0) {
      if (chart.kind !== 'local') throw new Error('valuesFiles inside a packaged chart are not read; move them into values or valuesFrom');
      for (const file of valuesFiles) {
        const layer = valuesFileLayer(ctx.root, String(file), spec.chart?.spec?.ignoreMissingValuesFiles === true);
        if (layer) layers.push(layer);
      }
    }
    layers.push(...fluxValuesFrom(rendered, ctx, namespace));
    if (isPlainObject(spec.values)) layers.push({ values: spec.values, leaves: leavesWithLocations(spec.values, (p) => ctx.where(rendered, ['spec', 'values', ...p])) });
    const targetNamespace = typeof spec.targetNamespace === 'string' && spec.targetNamespace ? spec.targetNamespace : undefined;
    // GetReleaseName, then release.ShortenName on it, whether spec.releaseName is set or not (action/install.go)
    const releaseName = typeof spec.releaseName === 'string' && spec.releaseName ? fluxReleaseName(spec.releaseName) : fluxReleaseName(String(o.metadata.name), targetNamespace);
    const crds = spec.install?.crds ?? 'Create';
    const postRenderers: PostRenderer[] = ((Array.isArray(spec.postRenderers) ? spec.postRenderers : []) as any[])
      .map((p) => p?.kustomize)
      .filter((k) => k && (Array.isArray(k.patches) || Array.isArray(k.images)))
      .map((k) => ({ ...(Array.isArray(k.patches) ? { patches: k.patches } : {}), ...(Array.isArray(k.images) ? { images: k.images } : {}) }));
    const dependsOn = ((Array.isArray(spec.dependsOn) ? spec.dependsOn : []) as any[])
      .filter((d) => typeof d?.name === 'string')
      .map((d) => ({ name: d.name as string, namespace: typeof d.namespace === 'string' ? d.namespace : namespace }));
    return {
      ok: true,
      release: {
        cluster: ctx.cluster,
        engine: 'flux',
        name: nameOf(o),
        declaredIn: ctx.where(rendered, declaredPath),
        chart,
        chartLabel: label(chart),
        releaseName,
        namespace: targetNamespace ?? namespace,
        ...combine(layers),
        includeCrds: crds !== 'Skip',
        noHooks: spec.install?.disableHooks === true,
        postRenderers,
        ...(spec.install?.createNamespace === true ? { createNamespace: { labels: {}, annotations: {}, declaredIn: ctx.where(rendered, ['spec', 'install', 'createNamespace']) } } : {}),
        dependsOn,
      },
    };
  } catch (error) {
    return failure(error, `Helm chart ${described}`);
  }
}

function failure(error: unknown, chart: string): HelmDiscovery {
  const message = (error as Error).message;
  if (error instanceof HelmInputError) return { ok: false, reason: message, problem: true };
  return { ok: false, reason: message.startsWith('Helm chart') ? message : `${chart} is not rendered: ${message}` };
}

/** Argo CD's CreateNamespace=true: the destination namespace, created with managedNamespaceMetadata's labels and annotations. */
function argoCreateNamespace(rendered: RenderedObject, application: K8sObject, isGenerated: boolean, ctx: DiscoverContext): Pick<HelmRelease, 'createNamespace'> {
  const syncPolicy = (application as any).spec?.syncPolicy ?? {};
  const options: unknown[] = Array.isArray(syncPolicy.syncOptions) ? syncPolicy.syncOptions : [];
  if (!options.some((o) => typeof o === 'string' && o.replace(/\s+/g, '') === 'CreateNamespace=true')) return {};
  const managed = syncPolicy.managedNamespaceMetadata ?? {};
  const prefix = isGenerated ? ['spec', 'template', 'spec', 'syncPolicy'] : ['spec', 'syncPolicy'];
  const declaredIn = ctx.where(rendered, managed.labels ? [...prefix, 'managedNamespaceMetadata', 'labels'] : [...prefix, 'syncOptions']);
  const strings = (v: unknown) => (isPlainObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {});
  return { createNamespace: { labels: strings(managed.labels), annotations: strings(managed.annotations), ...(declaredIn ? { declaredIn } : {}) } };
}

/** Argo CD Helm repoURLs without a scheme are OCI registries (Argo's own convention). */
function argoChartRepository(repoURL: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repoURL) ? repoURL : `oci://${repoURL}`;
}

/** An Argo CD Helm source (a chart from a chart repository, or a folder of this repository with Chart.yaml) -> the release. */
export function argoHelmSource(
  rendered: RenderedObject,
  application: K8sObject,
  source: any,
  sources: any[],
  sourcePath: FieldPath,
  ctx: DiscoverContext,
  localChartPath?: string,
): HelmDiscovery {
  const spec = (application as any).spec ?? {};
  const helm = source.helm ?? {};
  const isGenerated = rendered.object !== application; // ApplicationSet template: lines point at the generator
  const where = (p: FieldPath) => ctx.where(rendered, isGenerated ? ['spec', 'template', 'spec', ...sourcePath.slice(1), ...p] : [...sourcePath, ...p]);
  try {
    const chart: ChartLocation = localChartPath
      ? { kind: 'local', path: localChartPath }
      : {
          kind: 'repository',
          ref: {
            repoUrl: argoChartRepository(String(source.repoURL ?? '')),
            chart: String(source.chart),
            version: typeof source.targetRevision === 'string' && source.targetRevision.trim() && source.targetRevision !== 'HEAD' ? source.targetRevision.trim() : '*',
          },
        };
    const layers: ValuesLayer[] = [];
    for (const file of (Array.isArray(helm.valueFiles) ? helm.valueFiles : []) as string[]) {
      const ref = /^\$([^/]+)\/(.*)$/.exec(String(file));
      let repoFile: string;
      if (ref) {
        const refSource = sources.find((s) => s?.ref === ref[1]);
        if (!refSource) throw new Error(`valueFiles ${file} names source ref ${ref[1]}, which this Application does not have`);
        if (ctx.repositoryUrls.length > 0 && !sameRepository(refSource.repoURL, ctx.repositoryUrls)) throw new Error(`valueFiles ${file} come from ${refSource.repoURL}, not this repository`);
        repoFile = ref[2];
      } else if (chart.kind === 'local') {
        repoFile = path.posix.join(chart.path, String(file));
      } else {
        throw new Error(`valueFiles ${file} is inside the packaged chart, which is not read; use a $ref to this repository or valuesObject`);
      }
      const layer = valuesFileLayer(ctx.root, repoFile, helm.ignoreMissingValueFiles === true);
      if (layer) layers.push(layer);
    }
    // Argo CD uses valuesObject when it is set, else values
    if (isPlainObject(helm.valuesObject)) {
      layers.push({ values: helm.valuesObject, leaves: leavesWithLocations(helm.valuesObject, (p) => where(['helm', 'valuesObject', ...p])) });
    } else if (typeof helm.values === 'string') {
      const values = parseValuesText(helm.values, 'helm.values');
      const at = where(['helm', 'values']);
      const indent = at ? blockIndent(ctx.root, at) : undefined;
      layers.push({ values, leaves: at && indent !== undefined ? leavesInText(helm.values, values, at.file, at.line, indent) : leavesWithLocations(values, () => at) });
    } else if (isPlainObject(helm.values)) {
      layers.push({ values: helm.values, leaves: leavesWithLocations(helm.values, (p) => where(['helm', 'values', ...p])) });
    }
    for (const [index, parameter] of ((Array.isArray(helm.parameters) ? helm.parameters : []) as any[]).entries()) {
      if (typeof parameter?.name !== 'string') continue;
      const text = String(parameter.value ?? '');
      const value = parameter.forceString === true ? text : typedSetValue(text);
      const setPath = parseSetPath(parameter.name);
      layers.push({ values: {}, leaves: [{ path: setPath, value, location: where(['helm', 'parameters', index, 'value']) }], set: { path: setPath, value } });
    }
    const appName = String(application.metadata.name ?? '').split('/').pop() ?? '';
    return {
      ok: true,
      release: {
        cluster: ctx.cluster,
        engine: 'argocd',
        name: sources.length > 1 ? `${nameOf(application)} (source ${Number(sourcePath[sourcePath.length - 1]) + 1})` : nameOf(application),
        declaredIn: where(localChartPath ? ['path'] : ['chart']),
        chart,
        chartLabel: label(chart),
        releaseName: typeof helm.releaseName === 'string' && helm.releaseName ? helm.releaseName : appName,
        namespace: typeof spec.destination?.namespace === 'string' && spec.destination.namespace ? spec.destination.namespace : 'default',
        ...combine(layers),
        includeCrds: helm.skipCrds !== true,
        noHooks: false,
        postRenderers: [],
        ...argoCreateNamespace(rendered, application, isGenerated, ctx),
        ...(typeof helm.kubeVersion === 'string' ? { kubeVersion: helm.kubeVersion } : {}),
        ...(Array.isArray(helm.apiVersions) ? { apiVersions: helm.apiVersions.map(String) } : {}),
        dependsOn: [],
      },
    };
  } catch (error) {
    return failure(error, localChartPath ? `Helm chart folder ${localChartPath}` : `Helm chart ${source.chart} ${source.targetRevision ?? '*'}`);
  }
}
