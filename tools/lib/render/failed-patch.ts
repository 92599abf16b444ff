// One patch kustomize cannot apply must not hide a whole cluster. The failure is read from kustomize's text
// (which names neither the patch entry nor the object), the patch entry is found in the kustomization that
// holds it, and the entry point is rendered again from a temporary copy of its kustomizations with that
// entry left out, so every other object is still checked. The finding names the patch, at the op's line,
// and the objects it could not be applied to.
import { fluxComponentFolders } from './flux-kustomization.ts';
import { argoComponentFolders } from './argo-kustomize.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMap, isScalar, isSeq, parse, parseDocument, type Node, type Scalar } from 'yaml';
import type { EntryPoint, K8sObject, RenderProblem, RenderedObject, SourceLocation } from '../core/types.ts';
import { MAX_ALIAS_COUNT, parseSource, positionOf, type ParsedSource } from '../core/yaml-source.ts';
import { KUSTOMIZATION_FILES, hasKustomization } from './kustomization-files.ts';
import { buildInputs } from './preflight.ts';
import type { RenderAttempt, RenderResult } from './render.ts';

/** How many failing patches one entry point may leave out before the render is given up as failed. */
export const MAX_PATCHES_LEFT_OUT = 5;

const toPosix = (p: string) => p.split(path.sep).join('/');

/** What kustomize said went wrong applying a patch. */
export type PatchFailure =
  | { kind: 'json6902'; op: string; path: string; text: string }
  | { kind: 'no-match'; id: string; text: string };

/** The folders kustomize recursed into, outermost first, as written in its message. */
export function recursedFolders(message: string): string[] {
  return [...message.matchAll(/recursed accumulation of path '([^']+)'/g)].map((m) => m[1]);
}

/** Reads a patch failure out of kustomize's (already cleaned) error text; undefined for any other failure. */
export function parsePatchFailure(message: string): PatchFailure | undefined {
  const missing = message.match(/(\w+) operation does not apply: doc is missing path: "?(\/[^":\s]*)"?: missing value/);
  if (missing) return { kind: 'json6902', op: missing[1], path: missing[2], text: missing[0] };
  const remove = message.match(/error in (\w+) for path: '(\/[^']*)': [^:']*/);
  if (remove) return { kind: 'json6902', op: remove[1], path: remove[2], text: remove[0] };
  const test = message.match(/testing value (\/\S*) failed: test failed/);
  if (test) return { kind: 'json6902', op: 'test', path: test[1], text: test[0] };
  const noMatch = message.match(/no resource matches strategic merge patch "([^"]+)"/);
  if (noMatch) return { kind: 'no-match', id: noMatch[1], text: noMatch[0] };
  return undefined;
}

/** A patch's target selector, as a kustomization writes it. */
export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** One entry of a kustomization's patches that kustomize could not apply. */
export interface FailedPatch {
  /** Absolute path of the kustomization (or Component) that lists the patch. */
  kustomization: string;
  field: 'patches' | 'patchesJson6902' | 'patchesStrategicMerge';
  index: number;
  /** The patch file, absolute, when the entry names one; else the patch is inline. */
  patchFile?: string;
  target?: PatchTarget;
  /** The SMP's own kind/name/namespace when it has no target. */
  selfTarget?: PatchTarget;
  /** The op (JSON 6902) or the entry, where a person edits. */
  location: SourceLocation;
  failure: PatchFailure;
}

interface PatchText {
  text: string;
  /** 1-based line of the text's first line in the file it is written in. */
  firstLine: number;
  file: string;
}

function readKustomization(folder: string): { file: string; source: ParsedSource } | undefined {
  const file = KUSTOMIZATION_FILES.map((f) => path.join(folder, f)).find((f) => fs.existsSync(f));
  if (!file) return undefined;
  try {
    return { file, source: parseSource(fs.readFileSync(file, 'utf8')) };
  } catch {
    return undefined;
  }
}

/** An inline patch's text and where its first line sits: a block scalar starts on the line after `|`. */
function inlineText(source: ParsedSource, file: string, node: Scalar): PatchText {
  const { line } = positionOf(source, node);
  const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  return { text: String(node.value), firstLine: block ? line + 1 : line, file };
}

function patchTextOf(folder: string, source: ParsedSource, file: string, item: Node): { patch?: PatchText; patchFile?: string; target?: PatchTarget } {
  if (isScalar(item) && typeof item.value === 'string') {
    // patchesStrategicMerge: a file name, or an inline patch
    if (item.value.includes('\n')) return { patch: inlineText(source, file, item) };
    const patchFile = path.resolve(folder, item.value);
    return { patchFile, patch: fileText(patchFile) };
  }
  if (!isMap(item)) return {};
  const targetNode = item.get('target', true);
  const target = isMap(targetNode) ? (targetNode.toJSON() as PatchTarget) : undefined;
  const inline = item.get('patch', true);
  if (isScalar(inline) && typeof inline.value === 'string') return { patch: inlineText(source, file, inline), target };
  const written = item.get('path');
  if (typeof written === 'string') {
    const patchFile = path.resolve(folder, written);
    return { patchFile, patch: fileText(patchFile), target };
  }
  return { target };
}

function fileText(file: string): PatchText | undefined {
  try {
    return { text: fs.readFileSync(file, 'utf8'), firstLine: 1, file };
  } catch {
    return undefined;
  }
}

/** The line of the JSON 6902 op with this op and path in a patch text, or undefined when the patch has no such op. */
function opLine(patch: PatchText, op: string, pointer: string): { line: number; column: number } | undefined {
  const source = parseSource(patch.text);
  const contents = source.documents[0]?.contents;
  if (!isSeq(contents)) return undefined;
  for (const item of contents.items) {
    if (!isMap(item)) continue;
    const json = item.toJSON() as Record<string, unknown>;
    if (json.op !== op || json.path !== pointer) continue;
    const at = positionOf(source, item);
    // an inline block scalar's lines lose the block's indentation: the column is the op's column in the file
    const lineText = fs.existsSync(patch.file) ? fs.readFileSync(patch.file, 'utf8').split('\n')[patch.firstLine + at.line - 2] ?? '' : '';
    const column = patch.firstLine === 1 ? at.column : Math.max(1, lineText.search(/\S/) + 1);
    return { line: patch.firstLine + at.line - 1, column };
  }
  return undefined;
}

/** kind/name/namespace of a strategic-merge patch, the object it applies to when it has no target. */
function smpSelf(patch: PatchText): PatchTarget | undefined {
  try {
    const value = parse(patch.text, { maxAliasCount: MAX_ALIAS_COUNT }) as K8sObject | null;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return { kind: value.kind, name: value.metadata?.name, namespace: value.metadata?.namespace };
  } catch {
    return undefined;
  }
}

/** `Deployment.v1.apps/web.[noNs]` or `Deployment.v1.apps/web.shop` -> kind, name, namespace. */
function parseResId(id: string): { kind: string; name: string; namespace?: string } | undefined {
  const m = id.match(/^([^.]+)\.[^/]*\/(.+)\.([^.]+)$/);
  if (!m) return undefined;
  return { kind: m[1], name: m[2], namespace: m[3] === '[noNs]' ? undefined : m[3] };
}

const PATCH_FIELDS = ['patches', 'patchesJson6902', 'patchesStrategicMerge'] as const;

/**
 * Finds the patch entry a failure is about: in the innermost folder kustomize recursed into, else in the entry
 * point's own kustomization. `skip` holds entries already left out (kustomization path + field + index).
 */
export function findFailedPatch(failure: PatchFailure, message: string, root: string, target: string, skip: Set<string> = new Set()): FailedPatch[] {
  const folders = [...recursedFolders(message).reverse().map((f) => path.resolve(root, f)), target];
  const found: FailedPatch[] = [];
  for (const folder of [...new Set(folders)]) {
    const read = readKustomization(folder);
    const contents = read?.source.documents[0]?.contents;
    if (!read || !isMap(contents)) continue;
    for (const field of PATCH_FIELDS) {
      const list = contents.get(field, true);
      if (!isSeq(list)) continue;
      list.items.forEach((item, index) => {
        if (skip.has(`${read.file}|${field}|${index}`)) return;
        const { patch, patchFile, target: selector } = patchTextOf(folder, read.source, read.file, item as Node);
        if (!patch) return;
        const entryAt = positionOf(read.source, item as Node);
        const entryLocation = { file: toPosix(path.relative(root, read.file)), line: entryAt.line, column: entryAt.column };
        if (failure.kind === 'json6902') {
          const at = opLine(patch, failure.op, failure.path);
          if (!at) return;
          const location = { file: toPosix(path.relative(root, patch.file)), ...at };
          found.push({ kustomization: read.file, field, index, patchFile, target: selector, location, failure });
          return;
        }
        const self = smpSelf(patch);
        const id = parseResId(failure.id);
        if (!self || !id || self.kind !== id.kind || self.name !== id.name || (self.namespace ?? undefined) !== id.namespace) return;
        found.push({ kustomization: read.file, field, index, patchFile, target: selector, selfTarget: self, location: entryLocation, failure });
      });
    }
    if (found.length > 0) return found;
  }
  return found;
}

/** The folders whose kustomizations an entry point builds from, outermost only (a nested one is copied with its parent). */
function foldersToCopy(root: string, target: string, extraComponents: string[]): string[] {
  const kustomizations = [target, ...extraComponents].flatMap((t) => buildInputs(t, { root }).files).filter((f) => KUSTOMIZATION_FILES.includes(path.basename(f)));
  const folders = [...new Set(kustomizations.map((f) => path.dirname(f)))].sort((a, b) => a.length - b.length);
  const outer: string[] = [];
  for (const folder of folders) if (!outer.some((o) => folder === o || folder.startsWith(o + path.sep))) outer.push(folder);
  return outer;
}

/**
 * A temporary copy of what the entry point builds from, at the same repository-relative paths (so kustomize's
 * origin annotations and messages read as repository paths). Files outside the repository are not copied.
 */
export function copyBuildTree(root: string, target: string, extraComponents: string[]): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-patch-'));
  const skipNames = new Set(['.git', 'node_modules']);
  for (const folder of foldersToCopy(root, target, extraComponents)) {
    const relative = path.relative(root, folder);
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    fs.cpSync(folder, path.join(copy, relative), { recursive: true, verbatimSymlinks: true, filter: (src) => !skipNames.has(path.basename(src)) });
  }
  if (!hasKustomization(target)) {
    const relative = path.relative(root, target);
    if (!relative.startsWith('..')) fs.cpSync(target, path.join(copy, relative), { recursive: true, verbatimSymlinks: true });
  }
  return copy;
}

/**
 * Rewrites the copy's kustomizations from the repository's, without the entries left out so far. Entries are
 * numbered as the repository's file writes them, so each rewrite starts from that file.
 */
export function leaveOutPatches(root: string, copy: string, patches: FailedPatch[]): void {
  const byFile = new Map<string, FailedPatch[]>();
  for (const p of patches) byFile.set(p.kustomization, [...(byFile.get(p.kustomization) ?? []), p]);
  for (const [kustomization, leftOut] of byFile) {
    const doc = parseDocument(fs.readFileSync(kustomization, 'utf8'));
    for (const p of [...leftOut].sort((a, b) => b.index - a.index)) {
      const list = doc.get(p.field, true);
      if (isSeq(list)) list.items.splice(p.index, 1);
    }
    fs.writeFileSync(path.join(copy, path.relative(root, kustomization)), doc.toString());
  }
}

const anchored = (pattern: string) => {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
};

function labelsMatch(selector: string | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  const have = labels ?? {};
  return selector.split(',').map((s) => s.trim()).filter(Boolean).every((term) => {
    const notEqual = term.match(/^([^!=\s]+)\s*!=\s*(.*)$/);
    if (notEqual) return have[notEqual[1]] !== notEqual[2];
    const equal = term.match(/^([^!=\s]+)\s*==?\s*(.*)$/);
    if (equal) return have[equal[1]] === equal[2];
    if (term.startsWith('!')) return !(term.slice(1) in have);
    return term in have;
  });
}

/** Whether a rendered object is one a patch target selects (kind/name/namespace as anchored regexes, as kustomize reads them). */
export function selects(target: PatchTarget, rendered: RenderedObject): boolean {
  const { object } = rendered;
  const [group, version] = typeof object.apiVersion === 'string' && object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const matches = (pattern: string | undefined, value: string | undefined) => pattern === undefined || (value !== undefined && !!anchored(pattern)?.test(value));
  const name = String(object.metadata?.name ?? '');
  // a prefix or suffix an outer kustomization added came after the patch
  const unprefixed = (rendered.origin.namePrefixes ?? []).reduce((n, p) => (n.startsWith(p) ? n.slice(p.length) : n), name);
  const bare = (rendered.origin.nameSuffixes ?? []).reduce((n, s) => (n.endsWith(s) ? n.slice(0, -s.length) : n), unprefixed);
  return (
    (target.group === undefined || target.group === group) &&
    (target.version === undefined || target.version === version) &&
    matches(target.kind, object.kind) &&
    (matches(target.name, name) || matches(target.name, bare)) &&
    matches(target.namespace, object.metadata?.namespace) &&
    labelsMatch(target.labelSelector, object.metadata?.labels) &&
    labelsMatch(target.annotationSelector, object.metadata?.annotations)
  );
}

/** The first segment of a JSON pointer that does not exist in a value, as a pointer; undefined when it all exists. */
export function firstMissing(value: unknown, pointer: string): string | undefined {
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at: unknown = value;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const next = Array.isArray(at) ? (/^\d+$/.test(segment) ? at[Number(segment)] : undefined) : at && typeof at === 'object' ? (at as Record<string, unknown>)[segment] : undefined;
    if (next === undefined) return '/' + pointer.split('/').slice(1, i + 2).join('/');
    at = next;
  }
  return undefined;
}

const describe = (o: K8sObject) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** The objects a left-out patch could not be applied to, judged on the render without it. */
export function objectsItFailedOn(patch: FailedPatch, objects: RenderedObject[]): { object: K8sObject; missing?: string }[] {
  const selector = patch.target ?? patch.selfTarget;
  if (!selector) return [];
  const failure = patch.failure;
  const selected = objects.filter((o) => selects(selector, o));
  if (failure.kind !== 'json6902') return selected.map((o) => ({ object: o.object }));
  // add creates the last segment; replace, remove and test need it to exist
  const needed = failure.op === 'add' ? failure.path.replace(/\/[^/]*$/, '') : failure.path;
  const out: { object: K8sObject; missing?: string }[] = [];
  for (const o of selected) {
    const missing = needed === '' ? undefined : firstMissing(o.object, needed);
    if (missing || failure.op === 'test') out.push({ object: o.object, missing });
  }
  return out;
}

const HINTS: Record<string, string> = {
  replace: '`replace` needs the path to exist; `add` sets a map key whether or not it is there (its parent must exist), and a strategic-merge patch creates the whole path',
  remove: '`remove` needs the path to exist; a strategic-merge patch setting the field to null removes it only where present',
  add: '`add` needs the parent of its path to exist; add the parent map in the same patch, or use a strategic-merge patch, which creates the whole path',
  test: 'the `test` op compares the value; the object holds a different one',
};

/** The finding for one patch that was left out, in repository paths. */
export function leftOutProblem(entry: EntryPoint, root: string, patch: FailedPatch, objects: RenderedObject[] | undefined, kustomizeDisplay: string): RenderProblem {
  const kustomization = toPosix(path.relative(root, patch.kustomization));
  const which = patch.patchFile ? `patch ${toPosix(path.relative(root, patch.patchFile))}` : `inline patch ${patch.index + 1}`;
  const listed = `${which} (${patch.field}[${patch.index}] of ${kustomization})`;
  const failure = patch.failure;
  const failed = objects ? objectsItFailedOn(patch, objects) : [];
  const names = failed.map((f) => describe(f.object));
  let what: string;
  if (failure.kind === 'json6902') {
    const missing = [...new Set(failed.map((f) => f.missing).filter(Boolean))];
    const on = names.length ? ` on ${names.join(', ')}` : '';
    const why = failure.op === 'test' ? 'the value differs' : missing.length ? `${missing.join(', ')} does not exist there` : 'the path does not exist there';
    what = `${kustomizeDisplay} could not apply ${listed}${on}: op ${failure.op} ${failure.path}: ${why}; ${HINTS[failure.op] ?? `kustomize said: ${failure.text}`}`;
  } else {
    what = `${kustomizeDisplay} could not apply ${listed}: no object ${failure.id} is rendered where it is listed (kustomize: ${failure.text})`;
  }
  const selector = patch.target ?? patch.selfTarget;
  const targeted = objects && selector ? objects.filter((o) => selects(selector, o)).map((o) => describe(o.object)) : [];
  const incomplete = objects
    ? failure.kind === 'no-match'
      ? 'this cluster was checked without that patch'
      : targeted.length
      ? `this cluster was checked without that patch, so findings for what it targets (${targeted.join(', ')}) may be incomplete`
      : 'this cluster was checked without that patch, so findings for the objects it targets may be incomplete'
    : 'the render still failed without that patch';
  return { entryPoint: entry.name, message: `${what}. ${incomplete[0].toUpperCase()}${incomplete.slice(1)}`, location: patch.location, key: `${patch.location.file}:${patch.location.line}` };
}

/** One render of the entry point from a given root (the copy); what renderEntryPoint does, without the retry. */
export type RenderAt = (root: string) => Promise<RenderAttempt>;

const entryKey = (p: FailedPatch) => `${p.kustomization}|${p.field}|${p.index}`;

/**
 * After a patch failure: renders the entry point again without the failing patch, up to MAX_PATCHES_LEFT_OUT
 * times, and returns the objects of the first render that succeeds with one finding per patch left out.
 * Undefined when the failure is not about a patch this can find (the caller keeps the original finding).
 */
export async function renderWithoutFailedPatches(root: string, entry: EntryPoint, message: string, renderAt: RenderAt, kustomizeDisplay: string): Promise<RenderResult | undefined> {
  if (!parsePatchFailure(message)) return undefined;
  const target = path.resolve(root, entry.path);
  if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) return undefined;
  const components = entry.flux ? fluxComponentFolders(target, entry.flux) : entry.argo ? argoComponentFolders(target, entry.argo) : [];
  const copy = copyBuildTree(root, target, components);
  const leftOut: FailedPatch[] = [];
  try {
    let current = message;
    let last: RenderAttempt | undefined;
    while (leftOut.length < MAX_PATCHES_LEFT_OUT) {
      const failure = parsePatchFailure(current);
      if (!failure) break;
      const candidates = findFailedPatch(failure, current, root, target, new Set(leftOut.map(entryKey)));
      if (candidates.length === 0) break;
      // the same patch file listed twice (two targets): the culprit is the entry whose absence changes the error
      let chosen: FailedPatch | undefined;
      for (const candidate of candidates.slice(0, MAX_PATCHES_LEFT_OUT)) {
        leaveOutPatches(root, copy, [...leftOut, candidate]);
        last = await renderAt(copy);
        if (last.kustomizeError !== current) {
          chosen = candidate;
          break;
        }
      }
      if (!chosen) {
        chosen = candidates[0];
        leaveOutPatches(root, copy, [...leftOut, chosen]);
        last = await renderAt(copy);
      }
      leftOut.push(chosen);
      if (last!.kustomizeError === undefined) {
        const rendered = last!.problems.length === 0 || last!.objects.length > 0 ? last!.objects : undefined;
        return { objects: last!.objects, problems: [...leftOut.map((p) => leftOutProblem(entry, root, p, rendered, kustomizeDisplay)), ...last!.problems] };
      }
      current = last!.kustomizeError;
    }
    if (leftOut.length === 0 || !last) return undefined;
    // still failing: the patches left out so far, and what kustomize says about the rest
    return { objects: [], problems: [...leftOut.map((p) => leftOutProblem(entry, root, p, undefined, kustomizeDisplay)), ...last.problems] };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
