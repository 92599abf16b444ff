// Stage "render": one entry point -> the objects the real kustomize renders for it, each with its origin file.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, parse, stringify } from 'yaml';
import type { EntryPoint, K8sObject, RenderProblem, RenderedObject, SkippedSource, SourceLocation } from '../core/types.ts';
import { parseSource, MAX_ALIAS_COUNT } from '../core/yaml-source.ts';
import type { KustomizeBinary } from './kustomize.ts';
import { run, type RunResult } from './process.ts';
import { inPlaceBuild } from './in-place-build.ts';
import { applyCommonMetadata, FLUX_BUILD_ARGS, fluxComponentFolders, fluxSubstitute, withLocateMetadata, writeFluxKustomization } from './flux-kustomization.ts';
import { argoComponentFolders, prepareArgoBuild, type ArgoBuild } from './argo-kustomize.ts';
import { copyForBuild } from './work-copy.ts';
import { hasKustomization, KUSTOMIZATION_FILES, plainFolderResources } from './kustomization-files.ts';
import { preflightInputs } from './preflight.ts';
import { overridePatchProblems } from './inline-patches.ts';
import { plainYamlFiles, readPlainYaml } from './plain-yaml.ts';
import { escapeMessage, escapesRoot, OUTSIDE_REPOSITORY_RULE } from './confine.ts';
import type { SourceReader } from '../core/locate.ts';
import { explainResourceFailure, withRepositoryPaths } from './render-error.ts';
import { OutsideSubset, readRenderedDocument, readYamlDocument, splitDocuments } from './rendered-yaml.ts';
import { renderWithoutFailedPatches } from './failed-patch.ts';

/**
 * A render that takes longer than its limit is stopped and reported. kustomize on sane input takes seconds, but its
 * cost grows faster than its input: one file of small ConfigMaps took 4.4 s at 1,000 documents, 34 s at 2,500 and
 * 269 s at 5,000 (kubectl kustomize v5.5.0, this 2-core machine; bench/large-file.ts), about 4.4 s x (n/1000)^2.6.
 * So the limit is 90 s, plus 30 s per MiB of input, plus three times that curve for the documents it reads.
 * `--render-timeout SECONDS` sets it outright.
 */
export const RENDER_TIMEOUT_MS = 90_000;

export function renderTimeoutMs(inputBytes: number, fixedSeconds?: number, documents = 0): number {
  if (fixedSeconds !== undefined) return fixedSeconds * 1000;
  const perDocuments = documents > 1000 ? Math.ceil(3 * 4400 * (documents / 1000) ** 2.6) : 0;
  return RENDER_TIMEOUT_MS + Math.ceil((inputBytes / 2 ** 20) * 30_000) + perDocuments;
}

/**
 * The address space one render may use: kustomize on a legal repository needs a few hundred MiB, an alias bomb or a
 * runaway generator takes all the machine has. POLICY_CHECK_RENDER_MEMORY_MB sets it (0: unbounded).
 */
export const RENDER_MEMORY_MB = 4096;

export function renderMemoryLimitBytes(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const configured = env.POLICY_CHECK_RENDER_MEMORY_MB;
  const mb = configured !== undefined && /^\d+$/.test(configured.trim()) ? Number(configured) : RENDER_MEMORY_MB;
  return mb > 0 ? mb * 1024 * 1024 : undefined;
}

const OUT_OF_MEMORY = /fatal error: (runtime: out of memory|failed to reserve page summary memory)|runtime: cannot allocate memory|cannot allocate memory/;

export interface RenderOptions {
  /** The run's source reader: files preflight parses are parsed once for the whole run. */
  read?: SourceReader;
  /** `--render-timeout`: the limit of one render, in seconds, instead of the size-based one. */
  timeoutSeconds?: number;
  /** The commit being checked: Argo CD's ARGOCD_APP_REVISION. */
  revision?: string;
  /**
   * false: without kustomize's origin and transformer annotations, which about double its CPU time. The objects are
   * the same; they only cannot be located (origin has no file), so a caller renders again with them where it must point at a line.
   */
  annotate?: boolean;
}

const ORIGIN = 'config.kubernetes.io/origin';
const TRANSFORMATIONS = 'alpha.config.kubernetes.io/transformations';
// transformers whose kustomization line is where a person changes a field: patches and images
const PATCH_TRANSFORMERS = new Set(['PatchTransformer', 'PatchStrategicMergeTransformer', 'PatchJson6902Transformer', 'ImageTagTransformer']);

export interface RenderResult {
  objects: RenderedObject[];
  problems: RenderProblem[];
  /** The entry point is not rendered: the reconciler does something the checker does not emulate. */
  skipped?: SkippedSource[];
  /** Rendered with origin annotations (asked for, or because its sources name reconcilers): its objects can be located. */
  annotated?: boolean;
}

export interface RenderAttempt extends RenderResult {
  kustomizeError?: string;
}

const toPosix = (p: string) => p.split(path.sep).join('/');


/**
 * What to build for an entry point, prepared in the work copy: the reconciler's edits of the folder's own
 * kustomization (Flux, Argo CD), or for a path given on the command line the folder itself, or a generated
 * kustomization listing a plain folder's files (or one file).
 */
function planBuild(copyRoot: string, entry: EntryPoint, revision: string | undefined, annotate: boolean): ArgoBuild & { generated?: string[] } {
  const target = path.join(copyRoot, entry.path);
  const isDirectory = fs.statSync(target).isDirectory();
  if (entry.flux) {
    if (!isDirectory) return { kind: 'fail', message: `kustomization path not found: ${entry.path} is a file, not a folder` };
    try {
      writeFluxKustomization(target, entry.flux, annotate);
    } catch (error) {
      return { kind: 'fail', message: (error as Error).message };
    }
    return { kind: 'build', dir: target, args: FLUX_BUILD_ARGS };
  }
  if (entry.argo && isDirectory) return prepareArgoBuild(copyRoot, target, entry.argo, revision, annotate);
  if (isDirectory && hasKustomization(target)) {
    if (!annotate) return { kind: 'build', dir: target, args: [] };
    const file = KUSTOMIZATION_FILES.map((f) => path.join(target, f)).find((f) => fs.existsSync(f))!;
    const parsed = parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: MAX_ALIAS_COUNT });
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      withLocateMetadata(parsed);
      fs.writeFileSync(file, stringify(parsed));
    }
    return { kind: 'build', dir: target, args: [] };
  }
  const dir = fs.mkdtempSync(path.join(copyRoot, '.policy-check-entry-'));
  const generated = (isDirectory ? plainFolderResources(target) : [target]).map((r) => toPosix(path.relative(dir, r)));
  const kustomization: Record<string, unknown> = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: generated };
  if (annotate) withLocateMetadata(kustomization);
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), stringify(kustomization));
  return { kind: 'build', dir, args: ['--load-restrictor', 'LoadRestrictionsNone'], generated };
}

/** kustomize's error, reduced to one line and stripped of the wrapper's temporary paths. */
export function cleanKustomizeError(stderr: string, wrapperDir: string, root: string): string {
  let message = stderr.trim();
  // klog wraps the error: `E1123 ... run.go:72] "command failed" err="..."` or, multi-line, `err=<\n\t...\n >`
  const multiLine = message.match(/"command failed" err=<\s*([\s\S]*?)\s*>\s*$/);
  const oneLine = message.match(/"command failed" err="([\s\S]*)"\s*$/);
  if (multiLine) message = multiLine[1];
  else if (oneLine) message = oneLine[1].replace(/\\"/g, '"').replace(/\\n/g, ' ');
  message = message.replace(/^Error:\s*/, '').replace(/map\[string\]interface \{\}\(nil\):\s*/g, '');
  const rootWithSlash = root.endsWith(path.sep) ? root : root + path.sep;
  message = message.split(rootWithSlash).join('').split(wrapperDir + path.sep).join('').split(wrapperDir).join('<entry point>');
  return message.replace(/\s+/g, ' ').trim();
}

/** Finds the file (and line) a kustomize error is about: a file it names whose YAML is broken, else the entry point's kustomization. */
export function locateRenderError(message: string, root: string, entry: EntryPoint): (SourceLocation & { yamlError?: string }) | undefined {
  const target = path.resolve(root, entry.path);
  const dirs = new Set<string>([fs.existsSync(target) && fs.statSync(target).isDirectory() ? target : path.dirname(target)]);
  for (const match of message.matchAll(/'([^']+)'/g)) {
    const candidate = path.resolve(root, match[1]);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) dirs.add(candidate);
  }
  const fileNames = new Set<string>();
  for (const match of message.matchAll(/(?:File: |from '|file ')([^\s',"]+\.ya?ml)/g)) fileNames.add(match[1]);
  for (const match of message.matchAll(/([\w./-]+\.ya?ml)/g)) fileNames.add(match[1]);
  const lineInMessage = message.match(/line (\d+)/);
  for (const name of fileNames) {
    for (const dir of [...dirs].reverse()) {
      const file = path.resolve(dir, name);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
      const relative = toPosix(path.relative(root, file));
      const parsed = parseSource(fs.readFileSync(file, 'utf8'));
      if (parsed.error) return { file: relative, line: parsed.error.line, column: parsed.error.column, yamlError: parsed.error.message };
      return { file: relative, line: lineInMessage ? Number(lineInMessage[1]) : 1, column: 1 };
    }
  }
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    const kustomization = KUSTOMIZATION_FILES.map((f) => path.join(target, f)).find((f) => fs.existsSync(f));
    if (kustomization) return { file: toPosix(path.relative(root, kustomization)), line: 1, column: 1 };
  }
  return entry.declaredIn;
}

/** namePrefix/nameSuffix of a kustomization the transformations annotation names (read in the work copy, after the reconciler's edits). */
function nameAffixes(configuredIn: string, wrapperDir: string): { prefix?: string; suffix?: string } {
  const file = path.resolve(wrapperDir, configuredIn);
  try {
    const k = parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
    return { prefix: typeof k.namePrefix === 'string' ? k.namePrefix : undefined, suffix: typeof k.nameSuffix === 'string' ? k.nameSuffix : undefined };
  } catch {
    return {};
  }
}

/** kustomize's origin and transformation annotations are YAML inside a string; kustomize writes them itself. */
const readAnnotation = (text: string): any => readYamlDocument(text);

function originOf(annotations: Record<string, string>, wrapperDir: string, root: string, repoPaths: Map<string, string>) {
  const toRepo = (p: string) => {
    let repoPath = repoPaths.get(p);
    if (repoPath === undefined) repoPaths.set(p, (repoPath = toPosix(path.relative(root, path.resolve(wrapperDir, p)))));
    return repoPath;
  };
  const origin: RenderedObject['origin'] = { transformedBy: [] };
  try {
    const value = annotations[ORIGIN] ? readAnnotation(annotations[ORIGIN]) : undefined;
    if (value?.path && !value.repo) origin.file = toRepo(value.path);
    if (value?.configuredIn && !value.repo) origin.generatedBy = toRepo(value.configuredIn);
  } catch {
    /* an unreadable origin only costs us the location */
  }
  try {
    const transformations = annotations[TRANSFORMATIONS] ? readAnnotation(annotations[TRANSFORMATIONS]) : [];
    for (const t of Array.isArray(transformations) ? transformations : []) {
      if (t?.configuredIn && (t?.configuredBy?.kind === 'PrefixTransformer' || t?.configuredBy?.kind === 'SuffixTransformer')) {
        const { prefix, suffix } = nameAffixes(t.configuredIn, wrapperDir);
        if (prefix && t.configuredBy.kind === 'PrefixTransformer') (origin.namePrefixes ??= []).push(prefix);
        if (suffix && t.configuredBy.kind === 'SuffixTransformer') (origin.nameSuffixes ??= []).push(suffix);
      }
      if (t?.configuredIn && PATCH_TRANSFORMERS.has(t?.configuredBy?.kind)) {
        const file = toRepo(t.configuredIn);
        if (!file.startsWith('..') && !origin.transformedBy.includes(file)) origin.transformedBy.push(file);
      }
    }
  } catch {
    /* as above */
  }
  return origin;
}

/** Parses kustomize's output into objects; applies Flux substitution per object where asked. */
export function parseRendered(output: string, entry: EntryPoint, wrapperDir: string, root: string): RenderResult {
  const objects: RenderedObject[] = [];
  const problems: RenderProblem[] = [];
  const repoPaths = new Map<string, string>();
  for (const text of splitDocuments(output)) {
    let value: K8sObject | null;
    try {
      value = readRenderedDocument(text) as K8sObject | null;
    } catch (error) {
      if (!(error instanceof OutsideSubset)) throw error;
      const doc = parseDocument(text);
      if (doc.errors.length) {
        problems.push({ entryPoint: entry.name, message: `kustomize output is not valid YAML: ${doc.errors[0].message}` });
        continue;
      }
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as K8sObject | null;
      } catch (error) {
        problems.push({ entryPoint: entry.name, message: `kustomize output cannot be read: ${(error as Error).message}`, location: entry.declaredIn });
        continue;
      }
    }
    if (!value || typeof value !== 'object') continue;
    if (entry.flux && entry.substitute) {
      const substituted = fluxSubstitute(value, text, entry.substitute);
      // kustomization_controller.go build: one object's failed substitution fails the whole Kustomization
      if (!substituted.ok) return { objects: [], problems: [{ entryPoint: entry.name, message: `Flux would fail this Kustomization: ${substituted.message}`, location: entry.declaredIn }] };
      value = substituted.object;
    }
    if (entry.flux) applyCommonMetadata(value, entry.flux);
    value.metadata ??= {};
    const annotations = (value.metadata.annotations ?? {}) as Record<string, string>;
    const origin = originOf(annotations, wrapperDir, root, repoPaths);
    delete annotations[ORIGIN];
    delete annotations[TRANSFORMATIONS];
    if (value.metadata.annotations && Object.keys(annotations).length === 0) delete value.metadata.annotations;
    objects.push({ object: value, origin, entryPoint: entry.name, engine: entry.engine });
  }
  return { objects, problems };
}

export async function renderEntryPoint(root: string, entry: EntryPoint, kustomize: KustomizeBinary, options: RenderOptions = {}): Promise<RenderResult> {
  const first = await renderOnce(root, entry, kustomize, options);
  if (first.kustomizeError === undefined) return first;
  // a copy of the build tree renders without what the repository's read cache knows, so it is read afresh
  const again = (copy: string) => renderOnce(copy, entry, kustomize, { timeoutSeconds: options.timeoutSeconds });
  return (await renderWithoutFailedPatches(root, entry, first.kustomizeError, again, kustomize.display)) ?? first;
}

/** One render; `kustomizeError` is kustomize's own error in repository paths when kustomize exited non-zero. */
async function renderOnce(root: string, entry: EntryPoint, kustomize: KustomizeBinary, options: RenderOptions): Promise<RenderAttempt> {
  const target = path.resolve(root, entry.path);
  // a PATH argument outside the repository was named by the user: it is confined to itself, not refused
  const namedByUser = entry.engine === 'path' && !!escapesRoot(root, target) && fs.existsSync(target);
  const confineTo = namedByUser ? (fs.statSync(target).isDirectory() ? target : path.dirname(target)) : root;
  const declaredComponents: unknown[] = (entry.flux?.components as unknown[] | undefined) ?? (entry.argo?.source.kustomize?.components as unknown[] | undefined) ?? [];
  const outside = [entry.path, ...(Array.isArray(declaredComponents) ? declaredComponents : []).map((c) => path.join(entry.path, String(c)))]
    .map((p) => ({ p, escape: escapesRoot(confineTo, path.resolve(root, p)) }))
    .filter((o) => o.escape);
  if (outside.length > 0) {
    return { objects: [], problems: outside.map((o) => ({ entryPoint: entry.name, rule: OUTSIDE_REPOSITORY_RULE, message: escapeMessage(o.p, o.escape!, o.p === entry.path ? 'its path' : 'its components'), location: entry.declaredIn })) };
  }
  if (!fs.existsSync(target)) {
    return { objects: [], problems: [{ entryPoint: entry.name, message: `path ${entry.path} does not exist in this repository`, location: entry.declaredIn }] };
  }
  const inputs = preflightInputs(root, target, entry.name, options.read, confineTo);
  const inlinePatches = overridePatchProblems(entry.flux?.patches as unknown[] | undefined).map((message) => ({ entryPoint: entry.name, message, location: entry.declaredIn }));
  if (inputs.problems.length + inlinePatches.length > 0) return { objects: [], problems: [...inputs.problems, ...inlinePatches] };
  // plain YAML named on the command line (a PATH seed: its pseudo-cluster is named by its path) is read as written:
  // kustomize would only add its superlinear cost. A cluster folder still renders as its reconciler builds it.
  const namedPath = entry.engine === 'path' && entry.cluster === entry.path;
  const plainFiles = namedPath && !entry.flux && !entry.argo && !entry.substitute ? plainYamlFiles(target) : undefined;
  if (plainFiles) return readPlainYaml(root, plainFiles, entry, inputs.parsed, options.read);
  const timeoutMs = renderTimeoutMs(inputs.bytes, options.timeoutSeconds, inputs.documents);
  const annotate = options.annotate !== false || inputs.mentionsReconcilers;
  const memoryLimitBytes = renderMemoryLimitBytes();
  const outcome = (result: RunResult, build: BuildContext) => renderOutcome(result, build, { root, target, entry, kustomize, inputs, timeoutMs, memoryLimitBytes, annotate });
  const inPlace = inPlaceBuild(entry, target, annotate);
  if (inPlace) {
    try {
      const result = await run(kustomize.command, [...kustomize.args, inPlace.dir, ...inPlace.args], { timeoutMs, memoryLimitBytes });
      // a build that fails is built again in a work copy below, so that its error reads as every other render's
      if (result.code === 0 || result.timedOut || (memoryLimitBytes && OUT_OF_MEMORY.test(result.stderr))) return outcome(result, { wrapperDir: inPlace.dir, copyRoot: root, resources: [] });
    } finally {
      inPlace.remove();
    }
  }
  const components = entry.flux ? fluxComponentFolders(target, entry.flux) : entry.argo ? argoComponentFolders(target, entry.argo) : [];
  const copy = copyForBuild(root, target, components);
  try {
    const plan = planBuild(copy.root, entry, options.revision, annotate);
    if (plan.kind === 'skip') return { objects: [], problems: [], skipped: [{ cluster: entry.cluster, name: entry.name, kind: 'entry point', declaredIn: entry.declaredIn, reason: plan.reason }] };
    if (plan.kind === 'fail') {
      const reconciler = entry.flux ? 'Flux' : 'Argo CD';
      return { objects: [], problems: [{ entryPoint: entry.name, message: `${reconciler} would fail to build ${entry.path}: ${plan.message}`, location: entry.declaredIn }] };
    }
    if (plan.kind === 'empty') return { objects: [], problems: [] };
    const result = await run(kustomize.command, [...kustomize.args, plan.dir, ...plan.args], { timeoutMs, memoryLimitBytes });
    return outcome(result, { wrapperDir: plan.dir, copyRoot: copy.root, resources: plan.generated ?? [] });
  } finally {
    copy.remove();
  }
}

/** Where one build ran: the folder kustomize built, the root its paths are relative to, the files a generated kustomization lists. */
interface BuildContext {
  wrapperDir: string;
  copyRoot: string;
  resources: string[];
}

interface RenderContext {
  root: string;
  target: string;
  entry: EntryPoint;
  kustomize: KustomizeBinary;
  inputs: { files: number; bytes: number };
  timeoutMs: number;
  memoryLimitBytes: number | undefined;
  annotate: boolean;
}

/** kustomize's exit, as objects or as the one problem that says why there are none. */
function renderOutcome(result: RunResult, build: BuildContext, context: RenderContext): RenderAttempt {
  const { root, target, entry, kustomize, inputs, timeoutMs, memoryLimitBytes } = context;
  if (result.timedOut) {
    const size = `${inputs.files} file${inputs.files === 1 ? '' : 's'}, ${(inputs.bytes / 1024).toFixed(0)} KiB`;
    return {
      objects: [],
      problems: [{
        entryPoint: entry.name,
        message: `${kustomize.display} did not finish rendering ${entry.path} (${size}) in ${Math.round(timeoutMs / 1000)} s and was stopped; raise the limit with --render-timeout SECONDS, or split the overlay into one Flux Kustomization or Argo CD Application per app (see the README's "Keeping kustomize fast")`,
        location: entry.declaredIn,
      }],
    };
  }
  if (result.code !== 0 && memoryLimitBytes && OUT_OF_MEMORY.test(result.stderr)) {
    return {
      objects: [],
      problems: [{
        entryPoint: entry.name,
        message: `${kustomize.display} ran out of memory rendering ${entry.path}: it needed more than the ${memoryLimitBytes / 2 ** 20} MiB the checker allows one render; look for a generator or patch that multiplies objects, or raise the limit with POLICY_CHECK_RENDER_MEMORY_MB`,
        location: entry.declaredIn,
      }],
    };
  }
  if (result.code !== 0) {
    const message = withRepositoryPaths(cleanKustomizeError(result.stderr || result.stdout, build.wrapperDir, build.copyRoot), build.resources, build.wrapperDir, build.copyRoot);
    const located = locateRenderError(message, root, entry);
    const explained = located?.yamlError ? undefined : explainResourceFailure(message, root, target);
    if (explained) return { objects: [], problems: [{ entryPoint: entry.name, message: `${kustomize.display} failed: ${explained.message}`, location: explained.location }] };
    // kustomize's own line numbers count from its re-serialised input; ours are the file's.
    const text = located?.yamlError
      ? `${kustomize.display} failed: ${located.file}:${located.line}:${located.column}: ${located.yamlError} (kustomize: ${message})`
      : `${kustomize.display} failed: ${message}`;
    const location = located ? { file: located.file, line: located.line, column: located.column } : undefined;
    return { objects: [], problems: [{ entryPoint: entry.name, message: text, location }], kustomizeError: message };
  }
  return { ...parseRendered(result.stdout, entry, build.wrapperDir, build.copyRoot), ...(context.annotate ? { annotated: true } : {}) };
}
