// Before kustomize runs: the files an entry point builds from, read with our own YAML parser. A syntax error,
// a duplicate key, an alias bomb or a file too big to render becomes one located problem in milliseconds,
// instead of a kustomize error without a file, or a kustomize process that never returns.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, type Node } from 'yaml';
import type { RenderProblem } from '../core/types.ts';
import { MAX_ALIAS_COUNT, parseSource, positionOf, walkPath, type ParsedSource } from '../core/yaml-source.ts';
import { escapeMessage, escapesRoot, OUTSIDE_REPOSITORY_RULE } from './confine.ts';
import type { SourceReader } from '../core/locate.ts';
import { OutsideSubset, readRenderedDocument, readsAsSubset, splitDocuments } from './rendered-yaml.ts';
import { hasKustomization, KUSTOMIZATION_FILES, plainFolderResources } from './kustomization-files.ts';
import { inlinePatchProblems } from './inline-patches.ts';

// an apiVersion of a reconciler kind, not an annotation key such as argocd.argoproj.io/sync-wave
const RECONCILER_GROUPS = /apiVersion["']?\s*:\s*["']?[a-z0-9.-]*(?:toolkit\.fluxcd\.io|argoproj\.io)\//;

/** kustomize takes minutes over tens of megabytes; past this a file is refused with a finding. */
export const MAX_RENDER_FILE_BYTES = 8 * 1024 * 1024;
const MAX_FILES = 5000;

const toPosix = (p: string) => p.split(path.sep).join('/');
const isRemote = (ref: string) => /^[a-z]+:\/\//i.test(ref) || ref.startsWith('git@') || /^github\.com\//.test(ref);

/** A reference, in a kustomization or a folder, to a path that leaves the repository: refused, never read. */
export interface OutsideReference {
  message: string;
  location: { file: string; line: number; column: number };
}

export interface BuildInputs {
  files: string[];
  outside: OutsideReference[];
}

// fields whose entries are paths kustomize loads (files or folders)
const PATH_LISTS = ['resources', 'bases', 'components', 'patchesStrategicMerge', 'crds', 'transformers', 'generators', 'validators', 'configurations'];

const parsedFiles = new Map<string, { stamp: string; parsed: ParsedSource }>();

const fastKustomizations = new Map<string, { stamp: string; value: Record<string, any> | undefined }>();
/**
 * A kustomization as plain data, read by the fast reader while the file is unchanged; undefined when only the full
 * parser can read it (then the callers take the parse with positions). Most kustomizations are plain block YAML.
 */
export function kustomizationValue(file: string): Record<string, any> | undefined {
  const stat = fs.statSync(file);
  const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  const known = fastKustomizations.get(file);
  if (known?.stamp === stamp) return known.value;
  let value: Record<string, any> | undefined;
  try {
    const documents = splitDocuments(fs.readFileSync(file, 'utf8'));
    const read = documents.length === 1 ? readRenderedDocument(documents[0]) : undefined;
    value = read && typeof read === 'object' && !Array.isArray(read) ? (read as Record<string, any>) : undefined;
  } catch (error) {
    if (!(error instanceof OutsideSubset)) throw error;
  }
  fastKustomizations.set(file, { stamp, value });
  return value;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The texts of a kustomization's inline patches, from its plain data (the same fields as inlinePatches). */
function inlinePatchTexts(k: Record<string, any>): string[] {
  const texts: string[] = [];
  for (const field of ['patches', 'patchesJson6902']) {
    for (const item of list(k[field])) if (item && typeof item === 'object' && typeof (item as any).patch === 'string') texts.push((item as any).patch);
  }
  for (const item of list(k.patchesStrategicMerge)) if (typeof item === 'string' && item.includes('\n')) texts.push(item);
  return texts;
}

/** A path a kustomization names: where (its field path, for the line of a finding), and whether kustomize builds from it. */
interface ReferencedPath {
  ref: unknown;
  at: (string | number)[];
  loads: boolean;
}

/** Every path a kustomization names, from its plain data: resources and the like, patch files, openapi, generator inputs. */
function referencedPaths(k: Record<string, any>): ReferencedPath[] {
  const refs: ReferencedPath[] = [];
  for (const field of PATH_LISTS) list(k[field]).forEach((item, i) => refs.push({ ref: item, at: [field, i], loads: true }));
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    list(k[field]).forEach((item, i) => {
      if (item && typeof item === 'object' && !Array.isArray(item)) refs.push({ ref: (item as any).path, at: [field, i, 'path'], loads: true });
    });
  }
  if (k.openapi && typeof k.openapi === 'object' && !Array.isArray(k.openapi)) refs.push({ ref: k.openapi.path, at: ['openapi', 'path'], loads: false });
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    list(k[field]).forEach((generator, g) => {
      if (!generator || typeof generator !== 'object' || Array.isArray(generator)) return;
      // `files` entries may be KEY=PATH
      list((generator as any).files).forEach((item, i) => refs.push({ ref: typeof item === 'string' ? item.replace(/^[^=]*=/, '') : item, at: [field, g, 'files', i], loads: false }));
      list((generator as any).envs).forEach((item, i) => refs.push({ ref: item, at: [field, g, 'envs', i], loads: false }));
      refs.push({ ref: (generator as any).env, at: [field, g, 'env'], loads: false });
    });
  }
  return refs;
}
/** Entry points share bases and components: a kustomization file is parsed once while it is unchanged. */
export function parseUnchanged(file: string): ParsedSource {
  const stat = fs.statSync(file);
  const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  const known = parsedFiles.get(file);
  if (known?.stamp === stamp) return known.parsed;
  const parsed = parseSource(fs.readFileSync(file, 'utf8'));
  parsedFiles.set(file, { stamp, parsed });
  return parsed;
}

/**
 * Every local file a kustomization (or plain folder) builds from: resources, components, patches, recursively;
 * and every reference among them that resolves outside `confineTo` (by `..` or a symlink), which is not followed.
 */
export function buildInputs(target: string, options: { root: string; confineTo?: string; parse?: (file: string) => ParsedSource; /** false: always from the parse with positions (the tests' reference) */ plainData?: boolean }): BuildInputs {
  const confineTo = options.confineTo ?? options.root;
  const parseFile = options.parse ?? parseUnchanged;
  const files = new Set<string>();
  const visited = new Set<string>();
  const outside: OutsideReference[] = [];
  const repoPath = (file: string) => toPosix(path.relative(options.root, file));
  const addYaml = (file: string) => {
    if (files.size < MAX_FILES && /\.ya?ml$/.test(file)) files.add(file);
  };
  const visitPlainFolder = (dir: string) => {
    for (const resource of plainFolderResources(dir)) {
      const escape = escapesRoot(confineTo, resource);
      if (escape) {
        outside.push({ message: escapeMessage(repoPath(resource), escape), location: { file: repoPath(resource), line: 1, column: 1 } });
        continue;
      }
      if (fs.statSync(resource).isDirectory()) visitKustomization(resource);
      else addYaml(resource);
    }
  };
  function follow(full: string, loads: boolean) {
    if (!loads || !fs.existsSync(full)) return; // kustomize names missing files itself
    if (fs.statSync(full).isDirectory()) (hasKustomization(full) ? visitKustomization(full) : undefined);
    else addYaml(full);
  }
  function visitKustomization(dir: string) {
    if (visited.has(dir)) return;
    visited.add(dir);
    const file = KUSTOMIZATION_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!file) return;
    const escape = escapesRoot(confineTo, file);
    if (escape) {
      outside.push({ message: escapeMessage(repoPath(file), escape), location: { file: repoPath(file), line: 1, column: 1 } });
      return;
    }
    files.add(file);
    if (fs.statSync(file).size > MAX_RENDER_FILE_BYTES) return; // refused by size below
    // the plain data, from the fast reader where it can; the parse with positions only for the line of a path that
    // leaves the repository (or where the fast reader cannot read the file)
    let source: ParsedSource | undefined;
    let k = options.plainData === false ? undefined : kustomizationValue(file);
    if (!k) {
      source = parseFile(file);
      if (source.error || !isMap(source.documents[0]?.contents)) return; // the kustomization itself is reported by the parse below
      try {
        k = source.documents[0].toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, any>;
      } catch {
        return; // an alias bomb: reported by the parse below
      }
    }
    for (const { ref, at, loads } of referencedPaths(k)) {
      if (typeof ref !== 'string' || ref.includes('\n') || isRemote(ref)) continue;
      const full = path.resolve(dir, ref);
      const escape = escapesRoot(confineTo, full);
      if (!escape) {
        follow(full, loads);
        continue;
      }
      source ??= parseFile(file);
      const contents = source.documents[0]?.contents as Node | null | undefined;
      const position = contents ? positionOf(source, walkPath(contents, at).node) : { line: 1, column: 1 };
      outside.push({ message: escapeMessage(ref, escape, repoPath(file), repoPath(full)), location: { file: repoPath(file), ...position } });
    }
  }
  if (!fs.existsSync(target)) return { files: [], outside };
  if (fs.statSync(target).isDirectory()) (hasKustomization(target) ? visitKustomization(target) : visitPlainFolder(target));
  else addYaml(target);
  return { files: [...files], outside };
}

export interface PreflightResult {
  problems: RenderProblem[];
  /** What the render reads: the number of files and their size, for its time limit and its slow-render message. */
  files: number;
  bytes: number;
  /** Whether a file names a Flux or Argo CD API group: the render will likely hold reconcilers to follow. */
  mentionsReconcilers: boolean;
  /** YAML documents across those files: kustomize's cost grows with their number, faster than linearly. */
  documents: number;
  /** Every file preflight parsed with positions, by absolute path, so a stage after it never parses a file twice. */
  parsed: Map<string, ParsedSource>;
}

/** Files the fast reader proved clean, while unchanged: the clusters' overlays share most of their files. */
const cleanFiles = new Map<string, { stamp: string; documents: number; mentionsReconcilers: boolean }>();

/** Forgets every file read so far (the benchmark's cold rounds read as a new process would). */
export function forgetSourceFiles(): void {
  parsedFiles.clear();
  cleanFiles.clear();
  fastKustomizations.clear();
}

/**
 * Checks every file an entry point builds from. With the run's source reader, each file is parsed once for the
 * whole run: locate reads the same parsed files when it places a finding.
 */
export function preflightInputs(root: string, target: string, entryPoint: string, read?: SourceReader, confineTo: string = root): PreflightResult {
  const parsedFiles = new Map<string, ParsedSource>();
  const parse = (file: string) => {
    let parsed = parsedFiles.get(file);
    if (!parsed) {
      const relative = toPosix(path.relative(root, file));
      parsed = (!relative.startsWith('..') && read?.(relative)) || parseSource(fs.readFileSync(file, 'utf8'));
      parsedFiles.set(file, parsed);
    }
    return parsed;
  };
  const { files: inputs, outside } = buildInputs(target, { root, confineTo, parse });
  // a path outside the repository is one finding where it is named, and the entry point is not rendered
  const problems: RenderProblem[] = outside.map((o) => ({ entryPoint, rule: OUTSIDE_REPOSITORY_RULE, message: o.message, location: o.location }));
  let bytes = 0;
  let mentionsReconcilers = false;
  let documents = 0;
  for (const file of inputs) {
    const relative = toPosix(path.relative(root, file));
    const stat = fs.statSync(file);
    const size = stat.size;
    bytes += size;
    if (size > MAX_RENDER_FILE_BYTES) {
      problems.push({
        entryPoint,
        message: `${relative} is ${(size / 1024 / 1024).toFixed(1)} MiB, more than the ${MAX_RENDER_FILE_BYTES / 1024 / 1024} MiB the checker renders; split it, or move generated data out of git`,
        location: { file: relative, line: 1, column: 1 },
      });
      continue;
    }
    const isKustomization = KUSTOMIZATION_FILES.includes(path.basename(file));
    const stamp = `${stat.mtimeMs}:${size}:${stat.ino}`;
    const clean = isKustomization ? undefined : cleanFiles.get(file);
    if (clean?.stamp === stamp) {
      mentionsReconcilers ||= clean.mentionsReconcilers;
      documents += clean.documents;
      continue;
    }
    const text = fs.readFileSync(file, 'utf8');
    const mentions = RECONCILER_GROUPS.test(text);
    mentionsReconcilers ||= mentions;
    // most files are plain block YAML: the fast reader proves them clean; the rest get the full parse with positions.
    // A kustomization too, when its inline patches parse: a broken one needs its line, from the full parse below.
    const kustomization = isKustomization ? kustomizationValue(file) : undefined;
    if (kustomization && inlinePatchTexts(kustomization).every((text) => !parseSource(text).error)) {
      documents += 1;
      continue;
    }
    if (!isKustomization && readsAsSubset(text)) {
      const count = (text.match(/^---/gm)?.length ?? 0) + 1;
      documents += count;
      cleanFiles.set(file, { stamp, documents: count, mentionsReconcilers: mentions });
      continue;
    }
    const parsed = parsedFiles.get(file) ?? parse(file);
    documents += parsed.documents.length;
    if (parsed.error) {
      problems.push({
        entryPoint,
        message: `${relative}:${parsed.error.line}:${parsed.error.column}: ${parsed.error.message}`,
        location: { file: relative, line: parsed.error.line, column: parsed.error.column },
      });
    } else if (isKustomization) {
      // inline patches live inside this file, so its size cap bounds them; their aliases expand only in kustomize
      for (const problem of inlinePatchProblems(parsed)) {
        problems.push({
          entryPoint,
          message: `${relative}:${problem.line}:${problem.column}: ${problem.message}`,
          location: { file: relative, line: problem.line, column: problem.column },
        });
      }
    }
  }
  return { problems, files: inputs.length, bytes, mentionsReconcilers, documents, parsed: parsedFiles };
}

export function preflight(root: string, target: string, entryPoint: string): RenderProblem[] {
  return preflightInputs(root, target, entryPoint).problems;
}
