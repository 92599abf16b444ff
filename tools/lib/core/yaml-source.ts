// Parsing YAML source files once, with positions, for every stage that must point at a line.
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair, type Document, type Node } from 'yaml';
import type { FieldPath } from './types.ts';

/** Above this size a file is not parsed for positions; findings fall back to line 1. */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;
/** The same alias budget for every parse: an alias bomb becomes an error, not a hang. */
export const MAX_ALIAS_COUNT = 1000;

export interface ParsedSource {
  text: string;
  documents: Document.Parsed[];
  lineCounter: LineCounter;
  /** First syntax error (or duplicate key) with its position, if any. */
  error?: { message: string; line: number; column: number };
}

export function parseSource(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true }) as
    Document.Parsed[];
  const list = Array.isArray(documents) ? documents : [documents];
  let error: ParsedSource['error'];
  for (const doc of list) {
    const first = doc.errors[0];
    if (first) {
      const pos = lineCounter.linePos(first.pos[0]);
      error = { message: first.message.split('\n')[0], line: pos.line, column: pos.col };
      break;
    }
  }
  // Aliases expand only when converted; an alias bomb must fail here, with a position, not later in a rule.
  if (!error && /\*[^\s,\]}]/.test(text)) {
    for (const doc of list) {
      try {
        doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (cause) {
        const pos = lineCounter.linePos(doc.range?.[0] ?? 0);
        error = { message: (cause as Error).message.split('\n')[0], line: pos.line, column: pos.col };
        break;
      }
    }
  }
  return { text, documents: list, lineCounter, error };
}

export function positionOf(source: ParsedSource, node: Node | undefined | null): { line: number; column: number } {
  const offset = node?.range?.[0] ?? 0;
  const pos = source.lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** Keys that identify list items across kustomize merges, in the order they are tried. */
const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'devicePath', 'ip', 'key', 'topologyKey'];

export interface WalkResult {
  /** Deepest node reached along the path. */
  node: Node;
  /** For a map entry, the key node (points at `key:` rather than the value). */
  keyNode?: Node;
  /** How many path segments were matched. */
  depth: number;
  complete: boolean;
}

/**
 * Walks a field path through a YAML node. When `rendered` (the same object after rendering) is given, sequence
 * items are matched by merge key (containers by name...) rather than by index, since patches may reorder or add items.
 */
export function walkPath(root: Node, path: FieldPath, rendered?: unknown): WalkResult {
  let node: Node = root;
  let keyNode: Node | undefined;
  let renderedHere: any = rendered;
  let depth = 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair || !pair.value) {
        if (pair && isScalar(pair.key)) return { node: pair.key as Node, keyNode: pair.key as Node, depth: depth + 1, complete: depth + 1 === path.length };
        break;
      }
      keyNode = pair.key as Node;
      node = pair.value as Node;
    } else if (isSeq(node) && typeof segment === 'number') {
      const renderedItem = Array.isArray(renderedHere) ? renderedHere[segment] : undefined;
      let item: Node | undefined;
      if (renderedItem && typeof renderedItem === 'object' && !Array.isArray(renderedItem)) {
        const mergeKey = MERGE_KEYS.find((k) => renderedItem[k] !== undefined);
        if (mergeKey) {
          const value = String(renderedItem[mergeKey]);
          const matches = node.items.filter(
            (candidate) =>
              isMap(candidate) &&
              candidate.items.some(
                (p) => isScalar(p.key) && p.key.value === mergeKey && isScalar(p.value) && String(p.value.value) === value,
              ),
          ) as Node[];
          if (matches.length === 0) break;
          // A key written twice (a duplicate env name) is told apart by its order among the items that share it.
          const occurrence = (renderedHere as any[]).slice(0, segment).filter((r) => r && typeof r === 'object' && r[mergeKey] !== undefined && String(r[mergeKey]) === value).length;
          item = matches[Math.min(occurrence, matches.length - 1)];
        }
      }
      if (!item) item = node.items[segment] as Node | undefined;
      if (!item) break;
      keyNode = undefined;
      node = item;
    } else {
      break;
    }
    renderedHere = renderedHere && typeof renderedHere === 'object' ? renderedHere[segment as any] : undefined;
    depth += 1;
  }
  return { node, keyNode, depth, complete: depth === path.length };
}

/** Converts a field path to the conventional display form: spec.template.spec.containers[0].image */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
