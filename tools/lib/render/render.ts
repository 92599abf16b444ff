// Stage "render": one entry point -> the objects the real kustomize renders for it, each with its origin file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument, parse, stringify } from 'yaml';
import type { EntryPoint, K8sObject, RenderProblem, RenderedObject, SourceLocation } from '../core/types.ts';
import { parseSource, MAX_ALIAS_COUNT } from '../core/yaml-source.ts';
import type { KustomizeBinary } from './kustomize.ts';
import { run } from './process.ts';
import { substituteVariables, SUBSTITUTE_ANNOTATION } from './substitute.ts';
import { hasKustomization, KUSTOMIZATION_FILES, plainFolderResources } from './kustomization-files.ts';
import { preflightInputs } from './preflight.ts';
import type { SourceReader } from '../core/locate.ts';
import { explainResourceFailure, withRepositoryPaths } from './render-error.ts';
import { OutsideSubset, readRenderedDocument, splitDocuments } from './rendered-yaml.ts';
import { renderWithoutFailedPatches } from './failed-patch.ts';

/**
 * A render that takes longer than its limit is stopped and reported. kustomize on sane input takes seconds, but its
 * cost grows faster than its input (one overlay of 500 apps took minutes), so the limit grows with what it reads:
 * 90 s, plus 30 s per MiB of input. `--render-timeout SECONDS` sets it outright.
 */
export const RENDER_TIMEOUT_MS = 90_000;

export function renderTimeoutMs(inputBytes: number, fixedSeconds?: number): number {
  if (fixedSeconds !== undefined) return fixedSeconds * 1000;
  return RENDER_TIMEOUT_MS + Math.ceil((inputBytes / 2 ** 20) * 30_000);
}

export interface RenderOptions {
  /** The run's source reader: files preflight parses are parsed once for the whole run. */
  read?: SourceReader;
  /** `--render-timeout`: the limit of one render, in seconds, instead of the size-based one. */
  timeoutSeconds?: number;
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
}

export interface RenderAttempt extends RenderResult {
  kustomizeError?: string;
}

const toPosix = (p: string) => p.split(path.sep).join('/');


function wrapperKustomization(root: string, wrapperDir: string, entry: EntryPoint, annotate = true): { text: string; loadRestrictorNone: boolean; resources: string[] } {
  const target = path.resolve(root, entry.path);
  const stat = fs.statSync(target);
  let resources: string[];
  let loadRestrictorNone = false;
  if (stat.isDirectory() && hasKustomization(target)) {
    resources = [target];
  } else if (stat.isDirectory()) {
    resources = plainFolderResources(target);
    loadRestrictorNone = true;
  } else {
    resources = [target];
    loadRestrictorNone = true;
  }
  const overrides = entry.overrides ?? {};
  const written = resources.map((r) => toPosix(path.relative(wrapperDir, r)));
  const kustomization: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: written,
  };
  if (annotate) kustomization.buildMetadata = ['originAnnotations', 'transformerAnnotations'];
  if (overrides.namespace) kustomization.namespace = overrides.namespace;
  if (overrides.namePrefix) kustomization.namePrefix = overrides.namePrefix;
  if (overrides.nameSuffix) kustomization.nameSuffix = overrides.nameSuffix;
  if (overrides.images?.length) kustomization.images = overrides.images;
  if (overrides.patches?.length) kustomization.patches = overrides.patches;
  if (overrides.components?.length) {
    kustomization.components = overrides.components.map((c) => toPosix(path.relative(wrapperDir, path.resolve(target, c))));
  }
  if (overrides.commonLabels) kustomization.labels = [{ pairs: overrides.commonLabels }];
  if (overrides.commonAnnotations) kustomization.commonAnnotations = overrides.commonAnnotations;
  return { text: stringify(kustomization), loadRestrictorNone, resources: written };
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

/** namePrefix/nameSuffix of a kustomization the transformations annotation names (the wrapper's come from the entry point). */
function nameAffixes(configuredIn: string, wrapperDir: string, entry: EntryPoint): { prefix?: string; suffix?: string } {
  const file = path.resolve(wrapperDir, configuredIn);
  if (path.dirname(file) === wrapperDir) return { prefix: entry.overrides?.namePrefix, suffix: entry.overrides?.nameSuffix };
  try {
    const k = parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
    return { prefix: typeof k.namePrefix === 'string' ? k.namePrefix : undefined, suffix: typeof k.nameSuffix === 'string' ? k.nameSuffix : undefined };
  } catch {
    return {};
  }
}

/** kustomize's origin and transformation annotations are YAML inside a string; kustomize writes them itself. */
function readAnnotation(text: string): any {
  try {
    return readRenderedDocument(text);
  } catch (error) {
    if (!(error instanceof OutsideSubset)) throw error;
    return parse(text, { maxAliasCount: MAX_ALIAS_COUNT });
  }
}

function originOf(annotations: Record<string, string>, wrapperDir: string, root: string, entry: EntryPoint, repoPaths: Map<string, string>) {
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
        const { prefix, suffix } = nameAffixes(t.configuredIn, wrapperDir, entry);
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
    if (entry.substitute && value.metadata?.annotations?.[SUBSTITUTE_ANNOTATION] !== 'disabled') {
      const substituted = substituteVariables(text, entry.substitute);
      if (substituted !== text) {
        try {
          value = parse(substituted, { maxAliasCount: MAX_ALIAS_COUNT }) as K8sObject;
        } catch (error) {
          problems.push({
            entryPoint: entry.name,
            message: `${value.kind} ${value.metadata?.name}: postBuild substitution produced invalid YAML: ${(error as Error).message.split('\n')[0]}`,
            location: entry.declaredIn,
          });
          continue;
        }
      }
    }
    value.metadata ??= {};
    const annotations = (value.metadata.annotations ?? {}) as Record<string, string>;
    const origin = originOf(annotations, wrapperDir, root, entry, repoPaths);
    delete annotations[ORIGIN];
    delete annotations[TRANSFORMATIONS];
    if (value.metadata.annotations && Object.keys(annotations).length === 0) delete value.metadata.annotations;
    objects.push({ object: value, origin, entryPoint: entry.name });
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
  if (!fs.existsSync(target)) {
    return { objects: [], problems: [{ entryPoint: entry.name, message: `path ${entry.path} does not exist in this repository`, location: entry.declaredIn }] };
  }
  const inputs = preflightInputs(root, target, entry.name, options.read);
  if (inputs.problems.length > 0) return { objects: [], problems: inputs.problems };
  const timeoutMs = renderTimeoutMs(inputs.bytes, options.timeoutSeconds);
  const wrapperDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-'));
  try {
    const { text, loadRestrictorNone, resources } = wrapperKustomization(root, wrapperDir, entry, options.annotate !== false || inputs.mentionsReconcilers);
    fs.writeFileSync(path.join(wrapperDir, 'kustomization.yaml'), text);
    const args = [...kustomize.args, wrapperDir];
    if (loadRestrictorNone) args.push('--load-restrictor', 'LoadRestrictionsNone');
    const result = await run(kustomize.command, args, { timeoutMs });
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
    if (result.code !== 0) {
      const message = withRepositoryPaths(cleanKustomizeError(result.stderr || result.stdout, wrapperDir, root), resources, wrapperDir, root);
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
    return parseRendered(result.stdout, entry, wrapperDir, root);
  } finally {
    fs.rmSync(wrapperDir, { recursive: true, force: true });
  }
}
