// Stage "locate": a finding's object + field path -> the file:line:column where that field is written.
// The object's own file comes from kustomize's origin annotation; when an overlay patch set the field,
// the patch's line wins, since that is the line a person has to change.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, isScalar, type Node } from 'yaml';
import { minimatch } from 'minimatch';
import type { FieldPath, Finding, K8sObject, ObjectOrigin, RenderedObject, SourceLocation } from './types.ts';
import type { ClusterGraph } from './graph.ts';
import type { EvaluatedFinding } from './evaluate.ts';
import { parseImage } from '../images/image-ref.ts';
import { apiGroupOf, groupOfApiVersion, refOf } from './identity.ts';
import { MAX_SOURCE_BYTES, parseSource, positionOf, walkPath, type ParsedSource } from './yaml-source.ts';
import { locateHelmField } from './locate-helm.ts';

export type SourceReader = (file: string) => ParsedSource | undefined;

/** Reads repository-relative files once each; files too big or unreadable give undefined. */
export function createSourceReader(root: string): SourceReader {
  const cache = new Map<string, ParsedSource | undefined>();
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    let parsed: ParsedSource | undefined;
    try {
      const absolute = path.resolve(root, file);
      if (fs.statSync(absolute).size <= MAX_SOURCE_BYTES) parsed = parseSource(fs.readFileSync(absolute, 'utf8'));
    } catch {
      parsed = undefined;
    }
    cache.set(file, parsed);
    return parsed;
  };
}

/** An in-memory reader, for tests and the RuleTester. */
export function memorySourceReader(files: Record<string, string>): SourceReader {
  const cache = new Map<string, ParsedSource>();
  return (file) => {
    if (!(file in files)) return undefined;
    if (!cache.has(file)) cache.set(file, parseSource(files[file]));
    return cache.get(file);
  };
}

/**
 * Whether a name written in a source or patch file is the rendered object's name before some of the
 * namePrefix/nameSuffix values on its way were applied (`web` for `dev-web`, but never for `dev-webhook`).
 */
export function nameMatches(renderedName: string, writtenName: unknown, origin?: ObjectOrigin): boolean {
  if (typeof writtenName !== 'string' || typeof renderedName !== 'string') return false;
  if (renderedName === writtenName) return true;
  const prefixes = origin?.namePrefixes ?? [];
  const suffixes = origin?.nameSuffixes ?? [];
  const seen = new Set<string>([renderedName]);
  const queue = [renderedName];
  while (queue.length > 0) {
    const name = queue.shift()!;
    const shorter = [
      ...prefixes.filter((p) => name.startsWith(p)).map((p) => name.slice(p.length)),
      ...suffixes.filter((x) => name.endsWith(x)).map((x) => name.slice(0, name.length - x.length)),
    ];
    for (const candidate of shorter) {
      if (candidate === writtenName) return true;
      if (!seen.has(candidate)) {
        seen.add(candidate);
        queue.push(candidate);
      }
    }
  }
  return false;
}

/**
 * The document in a source file that the rendered object came from: same kind, a name that renders to its name,
 * and among those the one written with the same API group and namespace (a kustomization's `namespace:` may have
 * set the namespace, so a document that names none still counts, after one that names the right one).
 */
export function findDocument(source: ParsedSource, object: K8sObject, origin?: ObjectOrigin): Node | undefined {
  const candidates = source.documents
    .map((doc) => doc.contents as Node | null)
    .filter((node): node is Node => !!node && isMap(node))
    .map((node) => ({ node, js: (node as any).toJSON?.() as any }))
    .filter((c) => c.js && c.js.kind === object.kind);
  if (candidates.length <= 1) return candidates[0]?.node;
  const renderedName: unknown = object.metadata?.name;
  if (typeof renderedName !== 'string' || renderedName === '') {
    // a malformed object without a name is the document without one, not the first of its kind
    return (candidates.find((c) => typeof c.js?.metadata?.name !== 'string') ?? candidates[0]).node;
  }
  const renderedNamespace = object.metadata?.namespace;
  const group = apiGroupOf(object);
  const score = (js: any): number =>
    (groupOfApiVersion(js.apiVersion) === group ? 4 : 0) +
    (js.metadata?.namespace === renderedNamespace ? 2 : js.metadata?.namespace === undefined ? 1 : 0);
  const byName = candidates
    .map((c) => ({ ...c, name: c.js?.metadata?.name }))
    .filter((c) => nameMatches(renderedName, c.name, origin))
    .sort((a, b) => score(b.js) - score(a.js) || String(b.name).length - String(a.name).length);
  return byName[0]?.node ?? candidates[0].node;
}

interface PatchCandidate {
  file: string;
  line: number;
  column: number;
}

function pointerToPath(pointer: string): FieldPath {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** An `add` to ".../-" appends: in the rendered object that is the list's last entry (the usual single append). */
function appendedIndex(opPath: FieldPath, object: K8sObject): FieldPath {
  const dash = opPath.indexOf('-');
  if (dash < 0) return opPath;
  let list: any = object;
  for (const segment of opPath.slice(0, dash)) list = list?.[segment as any];
  return Array.isArray(list) ? [...opPath.slice(0, dash), list.length - 1, ...opPath.slice(dash + 1)] : opPath;
}

function isPrefix(prefix: FieldPath, full: FieldPath): boolean {
  return prefix.length <= full.length && prefix.every((s, i) => String(s) === String(full[i]));
}

function targetMatches(target: any, object: K8sObject, origin: ObjectOrigin): boolean {
  if (!target || typeof target !== 'object') return true;
  const anchored = (pattern: unknown, value: string | undefined) => {
    if (typeof pattern !== 'string') return true;
    try {
      return new RegExp(`^(?:${pattern})$`).test(value ?? '') || nameMatches(value ?? '', pattern, origin);
    } catch {
      return pattern === value;
    }
  };
  return (
    anchored(target.kind, object.kind) &&
    anchored(target.name, object.metadata?.name) &&
    (target.namespace === undefined || anchored(target.namespace, object.metadata?.namespace))
  );
}

/** A patch's YAML, parsed, with the offset to add to its lines (inline patches live inside the kustomization). */
interface PatchSource {
  file: string;
  source: ParsedSource;
  lineOffset: number;
  columnOffset: number;
}

function inlinePatch(kustomizationFile: string, kustomization: ParsedSource, node: Node | undefined): PatchSource | undefined {
  if (!node || !isScalar(node) || typeof node.value !== 'string') return undefined;
  const header = positionOf(kustomization, node);
  const isBlock = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  const firstContentLine = kustomization.text.split('\n')[header.line] ?? '';
  const indent = isBlock ? firstContentLine.length - firstContentLine.trimStart().length : header.column - 1;
  return {
    file: kustomizationFile,
    source: parseSource(node.value),
    lineOffset: isBlock ? header.line : header.line - 1,
    columnOffset: indent,
  };
}

/** Per reader (one per run) and kustomization: the patches are read once, not once per finding. */
const patchSourcesSeen = new WeakMap<SourceReader, Map<string, { patch: PatchSource; target?: any }[]>>();

function patchSources(kustomizationFile: string, read: SourceReader): { patch: PatchSource; target?: any }[] {
  let seen = patchSourcesSeen.get(read);
  if (!seen) patchSourcesSeen.set(read, (seen = new Map()));
  let sources = seen.get(kustomizationFile);
  if (!sources) seen.set(kustomizationFile, (sources = readPatchSources(kustomizationFile, read)));
  return sources;
}

function readPatchSources(kustomizationFile: string, read: SourceReader): { patch: PatchSource; target?: any }[] {
  const kustomization = read(kustomizationFile);
  const root = kustomization?.documents[0]?.contents as Node | undefined;
  if (!kustomization || !root || !isMap(root)) return [];
  const dir = path.posix.dirname(kustomizationFile);
  const out: { patch: PatchSource; target?: any }[] = [];
  const fromFile = (relative: string): PatchSource | undefined => {
    const file = path.posix.normalize(path.posix.join(dir, relative));
    const source = read(file);
    return source ? { file, source, lineOffset: 0, columnOffset: 0 } : undefined;
  };
  for (const field of ['patchesStrategicMerge', 'patches', 'patchesJson6902']) {
    const list = root.get(field, true);
    if (!isSeq(list)) continue;
    for (const item of list.items as Node[]) {
      if (isScalar(item) && typeof item.value === 'string') {
        const patch = item.value.includes('\n') ? inlinePatch(kustomizationFile, kustomization, item) : fromFile(item.value);
        if (patch) out.push({ patch });
      } else if (isMap(item)) {
        const js = (item as any).toJSON() as any;
        const patch =
          typeof js.path === 'string' ? fromFile(js.path) : inlinePatch(kustomizationFile, kustomization, item.get('patch', true) as Node);
        if (patch) out.push({ patch, target: js.target });
      }
    }
  }
  return out;
}

function candidateFromPatch(patch: PatchSource, target: any, rendered: RenderedObject, fieldPath: FieldPath): PatchCandidate | undefined {
  const object = rendered.object;
  for (const doc of patch.source.documents) {
    const contents = doc.contents as Node | null;
    if (!contents) continue;
    const at = (node: Node): PatchCandidate => {
      const pos = positionOf(patch.source, node);
      return { file: patch.file, line: pos.line + patch.lineOffset, column: pos.column + (pos.line === 1 && patch.lineOffset === 0 ? 0 : patch.columnOffset) };
    };
    if (isSeq(contents)) {
      if (!target || !targetMatches(target, object, rendered.origin)) continue;
      let found: PatchCandidate | undefined;
      for (const op of contents.items as Node[]) {
        if (!isMap(op)) continue;
        const js = (op as any).toJSON() as any;
        if (!['add', 'replace', 'copy', 'move'].includes(js.op) || typeof js.path !== 'string') continue;
        const opPath = appendedIndex(pointerToPath(js.path), object);
        if (!isPrefix(opPath, fieldPath)) continue;
        const value = op.get('value', true) as Node | undefined;
        if (value) {
          const walked = walkPath(value, fieldPath.slice(opPath.length));
          found = walked.complete ? at(walked.keyNode ?? walked.node) : at(op);
        } else {
          found = at(op);
        }
      }
      if (found) return found;
    } else if (isMap(contents)) {
      const js = (contents as any).toJSON() as any;
      if (target ? !targetMatches(target, object, rendered.origin) : js.kind !== object.kind || !nameMatches(object.metadata?.name ?? '', js.metadata?.name, rendered.origin)) continue;
      const walked = walkPath(contents, fieldPath, object);
      if (walked.complete && fieldPath.length > 0) return at(walked.keyNode ?? walked.node);
    }
  }
  return undefined;
}

/** The `images:` entry of a kustomization that produced a rendered image reference, if any. */
function imagesCandidate(kustomizationFile: string, read: SourceReader, image: unknown): PatchCandidate | undefined {
  if (typeof image !== 'string') return undefined;
  const kustomization = read(kustomizationFile);
  const root = kustomization?.documents[0]?.contents as Node | undefined;
  if (!kustomization || !root || !isMap(root)) return undefined;
  const list = root.get('images', true);
  if (!isSeq(list)) return undefined;
  const { name } = parseImage(image);
  for (const item of list.items as Node[]) {
    if (!isMap(item)) continue;
    const entry = (item as any).toJSON() as any;
    if ((entry.newName ?? entry.name) !== name) continue;
    const field = ['digest', 'newTag', 'newName'].find((k) => entry[k] !== undefined);
    const node = (field ? item.get(field, true) : item) as Node;
    return { file: kustomizationFile, ...positionOf(kustomization, node) };
  }
  return undefined;
}

/** Where a field of a rendered object is written. Falls back to the deepest written parent, then to the object. */
export function locate(rendered: RenderedObject, fieldPath: FieldPath | undefined, read: SourceReader): SourceLocation | undefined {
  const pathInObject = fieldPath ?? [];
  if (rendered.origin.helm) return locateHelmField(rendered.origin.helm, rendered.object, pathInObject);
  let patched: PatchCandidate | undefined;
  if (pathInObject.length > 0) {
    for (const kustomizationFile of rendered.origin.transformedBy) {
      for (const { patch, target } of patchSources(kustomizationFile, read)) {
        patched = candidateFromPatch(patch, target, rendered, pathInObject) ?? patched;
      }
      // kustomize applies `images:` after the patches of the same kustomization
      if (pathInObject[pathInObject.length - 1] === 'image') {
        const image = pathInObject.reduce<any>((value, segment) => value?.[segment], rendered.object);
        patched = imagesCandidate(kustomizationFile, read, image) ?? patched;
      }
    }
  }
  if (patched) return patched;
  const file = rendered.origin.file ?? rendered.origin.generatedBy;
  if (!file) return undefined;
  const source = read(file);
  if (!source) return { file, line: 1, column: 1 };
  const doc = rendered.origin.file ? findDocument(source, rendered.object, rendered.origin) : undefined;
  if (!doc) return { file, line: 1, column: 1 };
  const walked = walkPath(doc, pathInObject, rendered.object);
  const pos = positionOf(source, walked.keyNode ?? walked.node);
  return { file, ...pos };
}

/** Where a field of an object of the graph is written (undefined for objects no file holds). */
export function locateObject(graph: ClusterGraph, read: SourceReader, object: K8sObject | undefined, fieldPath?: FieldPath): SourceLocation | undefined {
  const rendered = object ? graph.renderedOf(object) : undefined;
  return rendered ? locate(rendered, fieldPath, read) : undefined;
}

function inScope(file: string | undefined, scope: EvaluatedFinding['scope']): boolean {
  if (!file || !scope) return true;
  if (scope.paths && scope.paths.length > 0 && !scope.paths.some((p) => minimatch(file, p, { dot: true }))) return false;
  return !(scope.exclude ?? []).some((p) => minimatch(file, p, { dot: true }));
}

/** Stage "locate": each evaluated finding and its related places get file:line:column; a rule's path scopes apply here. */
export function locateFindings(findings: EvaluatedFinding[], graph: ClusterGraph, read: SourceReader): Finding[] {
  const located: Finding[] = [];
  for (const f of findings) {
    const location = f.location ?? locateObject(graph, read, f.subject, f.path);
    if (!inScope(location?.file, f.scope)) continue;
    const finding: Finding = { rule: f.rule, severity: f.severity, cluster: f.cluster, message: f.message, fingerprint: f.fingerprint };
    if (f.messageId !== undefined) finding.messageId = f.messageId;
    if (f.subject) finding.object = refOf(f.subject);
    if (f.path) finding.path = f.path;
    if (f.fix) finding.fix = f.fix;
    if (location) finding.location = location;
    if (f.related) {
      finding.related = f.related.map((r) => {
        const related: NonNullable<Finding['related']>[number] = { message: r.message };
        const where = locateObject(graph, read, r.object, r.path);
        if (where) related.location = where;
        if (r.object) related.object = refOf(r.object);
        return related;
      });
    }
    located.push(finding);
  }
  return located;
}
