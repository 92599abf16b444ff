// Helm values as plain data: merging layers in the reconciler's order, `--set`-style paths, and where each leaf was written.
import type { FieldPath, SourceLocation } from '../core/types.ts';

export type Values = Record<string, unknown>;

/** One written value: its path inside the values, the value, and the repository line that wrote it. */
export interface ValueLeaf {
  path: FieldPath;
  value: unknown;
  location?: SourceLocation;
}

export const isPlainObject = (v: unknown): v is Values => !!v && typeof v === 'object' && !Array.isArray(v);

/** Helm's and Flux's merge: maps merge key by key, anything else (lists included) is replaced; null stays, so helm deletes the key. */
export function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? mergeValues(out[key] as Values, value) : value;
  }
  return out;
}

/** A `--set` path (`a.b\.c[0].d`) as segments: ['a', 'b.c', 0, 'd']. */
export function parseSetPath(text: string): FieldPath {
  const segments: FieldPath = [];
  let current = '';
  let pending = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      pending = true;
    } else if (c === '.') {
      if (pending) segments.push(current);
      current = '';
      pending = false;
    } else if (c === '[') {
      const close = text.indexOf(']', i);
      if (pending) segments.push(current);
      current = '';
      pending = false;
      if (close < 0) throw new Error(`unclosed [ in "${text}"`);
      const index = text.slice(i + 1, close);
      if (!/^\d+$/.test(index)) throw new Error(`"${index}" is not a list index in "${text}"`);
      segments.push(Number(index));
      i = close;
    } else {
      current += c;
      pending = true;
    }
  }
  if (pending) segments.push(current);
  if (segments.length === 0) throw new Error(`empty path "${text}"`);
  return segments;
}

/** Helm 3's `--set` typing: true/false, null and integers are typed, everything else is a string. */
export function typedSetValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(0|[1-9]\d*)$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  return text;
}

/** `values` with `value` set at `path` (creating maps and lists on the way), as `--set path=value` does. */
export function setValue(values: Values, path: FieldPath, value: unknown): Values {
  const root: any = structuredClone(values);
  let node: any = root;
  path.forEach((segment, index) => {
    const last = index === path.length - 1;
    const nextIsIndex = typeof path[index + 1] === 'number';
    if (last) {
      node[segment] = value;
      return;
    }
    const existing = node[segment];
    if (existing === null || typeof existing !== 'object') node[segment] = nextIsIndex ? [] : {};
    node = node[segment];
  });
  return root;
}

/** Every leaf of a values tree (scalars, lists, empty maps) with its path. */
export function leavesOf(values: unknown, prefix: FieldPath = []): { path: FieldPath; value: unknown }[] {
  if (isPlainObject(values) && Object.keys(values).length > 0) {
    return Object.entries(values).flatMap(([key, value]) => leavesOf(value, [...prefix, key]));
  }
  return prefix.length === 0 ? [] : [{ path: prefix, value: values }];
}

const startsWith = (full: FieldPath, prefix: FieldPath) => prefix.length <= full.length && prefix.every((s, i) => String(s) === String(full[i]));

/** The leaves still in effect after later layers override earlier ones (a later leaf hides earlier leaves at or under its path). */
export function effectiveLeaves(layers: ValueLeaf[][]): ValueLeaf[] {
  let out: ValueLeaf[] = [];
  for (const layer of layers) {
    for (const leaf of layer) {
      out = out.filter((earlier) => !startsWith(earlier.path, leaf.path) && !startsWith(leaf.path, earlier.path));
      out.push(leaf);
    }
  }
  return out;
}
