// What schema validation finds, as plain data with the field path: the same shape from the schema walker the check
// uses and from ajv, the reference the walker is compared with in the tests.
import type { FieldPath } from '../core/types.ts';

export type SchemaProblem =
  | { kind: 'unknown-field'; path: FieldPath; field: string; allowed: string[] }
  | { kind: 'type'; path: FieldPath; expected: string[]; value: unknown }
  | { kind: 'enum'; path: FieldPath; allowed: unknown[]; value: unknown }
  | { kind: 'required'; path: FieldPath; field: string }
  | { kind: 'format'; path: FieldPath; format: string; value: unknown }
  | { kind: 'duplicate-key'; path: FieldPath; key: Record<string, unknown>; firstIndex: number }
  | { kind: 'constraint'; path: FieldPath; message: string };

export const LIST_MAP_KEYS = 'x-kubernetes-list-map-keys';
export const LIST_TYPE = 'x-kubernetes-list-type';
/** Ours, next to x-kubernetes-list-map-keys in generated schemas: defaults of key fields ({protocol: "TCP"}). */
export const KEY_DEFAULTS = 'x-policy-check-key-defaults';


export interface ListDuplicate {
  index: number;
  firstIndex: number;
  /** The repeated key ({containerPort: 8080, protocol: "TCP"}), or {value: entry} for a set. */
  key: Record<string, unknown>;
}

function entryKey(entry: any, keys: string[], defaults: Record<string, unknown>): string {
  return JSON.stringify(keys.map((k) => (entry && typeof entry === 'object' && entry[k] !== undefined ? entry[k] : defaults[k])));
}

/**
 * Entries that repeat an earlier one: by the list-map keys, with a key field's default when an entry leaves it out
 * (protocol: TCP), or by the whole entry for a set (keys []). `listSchema` is the array's schema.
 */
export function listDuplicates(keys: string[], listSchema: any, data: unknown[]): ListDuplicate[] {
  const defaults: Record<string, unknown> = { ...(listSchema?.[KEY_DEFAULTS] ?? {}) };
  const itemProperties = listSchema?.items?.properties ?? {};
  for (const k of keys) if (itemProperties[k]?.default !== undefined) defaults[k] = itemProperties[k].default;
  const first = new Map<string, number>();
  const duplicates: ListDuplicate[] = [];
  data.forEach((entry, index) => {
    const key = keys.length === 0 ? JSON.stringify(entry) : entryKey(entry, keys, defaults);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, index);
    else duplicates.push({ index, firstIndex: earlier, key: keys.length === 0 ? { value: entry } : Object.fromEntries(keys.map((k, i) => [k, JSON.parse(key)[i]])) });
  });
  return duplicates;
}
