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

