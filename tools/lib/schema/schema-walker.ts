// Validating objects against the committed JSON Schemas by walking schema and data together, with no compile step.
// Compiling with ajv cost more than a whole cluster's rules (about a CPU-second per run for the kinds of this
// repository); the subset of JSON Schema that Kubernetes' OpenAPI and structural CRD schemas use is small enough to
// interpret. The problems, and their order, are ajv's for the same schema and data (test/schema/walker-vs-ajv.test.ts
// compares the two on every object of the repository's clusters and on fuzzed mutants of them).
import type { FieldPath } from '../core/types.ts';
import type { JsonSchema } from './kubernetes-schemas.ts';
import { BASE64, DATE, DATE_TIME, DURATION, QUANTITY, UUID } from './formats.ts';
import { LIST_MAP_KEYS, LIST_TYPE, listDuplicates, type SchemaProblem } from './schema-problems.ts';

type Schema = JsonSchema | boolean;
type Segment = FieldPath[number];

const FORMATS: Record<string, { type: 'string' | 'number'; valid: (value: any) => boolean }> = {
  quantity: { type: 'string', valid: (v: string) => QUANTITY.test(v) },
  duration: { type: 'string', valid: (v: string) => DURATION.test(v) },
  'date-time': { type: 'string', valid: (v: string) => DATE_TIME.test(v) },
  date: { type: 'string', valid: (v: string) => DATE.test(v) },
  // encoding/json decodes []byte with StdEncoding, which skips line breaks
  byte: { type: 'string', valid: (v: string) => BASE64.test(v.replace(/[\r\n]/g, '')) },
  int32: { type: 'number', valid: (v: number) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 },
  int64: { type: 'number', valid: (v: number) => Number.isInteger(v) },
  uuid: { type: 'string', valid: (v: string) => UUID.test(v) },
};

/** ajv's keyword groups by data type, in its order; within a group the methods below keep ajv's keyword order. */
const GROUPS = [
  { type: 'number', keywords: ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf', 'format'] },
  { type: 'string', keywords: ['maxLength', 'minLength', 'pattern', 'format'] },
  { type: 'array', keywords: ['maxItems', 'minItems', 'uniqueItems', 'additionalItems', 'items', 'contains', LIST_MAP_KEYS, LIST_TYPE] },
  { type: 'object', keywords: ['maxProperties', 'minProperties', 'required', 'propertyNames', 'additionalProperties', 'dependencies', 'properties', 'patternProperties'] },
] as const;

function isObject(data: unknown): data is Record<string, unknown> {
  return !!data && typeof data === 'object' && !Array.isArray(data);
}

/** ajv's data type checks as the validator configured it (strict off, so strictNumbers off: NaN and Infinity are numbers). */
function hasType(type: string, data: unknown): boolean {
  switch (type) {
    case 'null':
      return data === null;
    case 'array':
      return Array.isArray(data);
    case 'object':
      return isObject(data);
    case 'integer':
      return typeof data === 'number' && !(data % 1) && !isNaN(data);
    case 'number':
      return typeof data === 'number';
    default:
      return typeof data === type;
  }
}

/** fast-deep-equal, as ajv uses it for enum and uniqueItems. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as any)[k], (b as any)[k]));
  }
  return a !== a && b !== b; // NaN
}

/** Code points, as ajv counts a string's length. */
function lengthOf(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

export class SchemaWalker {
  private readonly documents = new Map<string, JsonSchema>();
  private readonly refs = new Map<string, { schema: Schema; document: JsonSchema }>();
  private readonly patterns = new Map<string, RegExp>();
  /** The field path of the value being walked; copied only into a problem. */
  private readonly path: Segment[] = [];

  /** A document that `$ref`s name by id ("kubernetes-1.33.13#/definitions/..."). */
  addDocument(id: string, document: JsonSchema): void {
    this.documents.set(id, document);
  }

  validate(schema: Schema, data: unknown, document: JsonSchema | undefined = undefined): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    this.path.length = 0;
    this.walk(schema, data, problems, document);
    return problems;
  }

  private resolve(ref: string, document: JsonSchema | undefined): { schema: Schema; document: JsonSchema } {
    const hash = ref.indexOf('#');
    const id = hash < 0 ? ref : ref.slice(0, hash);
    const base = id === '' ? document : this.documents.get(id);
    if (!base) throw new Error(`can't resolve reference ${ref}`);
    const cacheKey = id === '' ? undefined : ref;
    const cached = cacheKey !== undefined ? this.refs.get(cacheKey) : undefined;
    if (cached) return cached;
    let target: any = base;
    for (const part of (hash < 0 ? '' : ref.slice(hash + 1)).split('/').slice(1)) {
      target = target?.[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (target === undefined) throw new Error(`can't resolve reference ${ref}`);
    const resolved = { schema: target as Schema, document: base };
    if (cacheKey !== undefined) this.refs.set(cacheKey, resolved);
    return resolved;
  }

  private pattern(source: string): RegExp {
    let re = this.patterns.get(source);
    if (!re) this.patterns.set(source, (re = new RegExp(source, 'u')));
    return re;
  }

  private here(): FieldPath {
    return this.path.slice();
  }

  private child(segment: Segment, schema: Schema, data: unknown, out: SchemaProblem[], document: JsonSchema | undefined): void {
    this.path.push(segment);
    this.walk(schema, data, out, document);
    this.path.pop();
  }

  /** Whether `data` passes `schema`, without reporting (the branches of anyOf, oneOf and not). */
  private passes(schema: Schema, data: unknown, document: JsonSchema | undefined): boolean {
    const depth = this.path.length;
    const ok = this.walk(schema, data, [], document);
    this.path.length = depth;
    return ok;
  }

  /** Adds the problems of `data` to `out` in ajv's order (see GROUPS); returns whether there were none. */
  private walk(schema: Schema, data: unknown, out: SchemaProblem[], document: JsonSchema | undefined): boolean {
    if (schema === true) return true;
    const before = out.length;
    if (schema === false) {
      out.push({ kind: 'constraint', path: this.here(), message: 'boolean schema is false' });
      return false;
    }
    const s = schema as any;
    const types: string[] | undefined = s.type === undefined ? undefined : Array.isArray(s.type) ? s.type : [s.type];
    // ajv admits null for `nullable: true` but names only the schema's own types in the error
    const typeError = types !== undefined && !types.some((t) => hasType(t, data)) && !(s.nullable === true && data === null);
    // ajv checks a single type at the end of that type's keyword group when the schema has keywords of the group,
    // else before every other keyword
    const deferredTo = types?.length === 1 && s.nullable !== true && GROUPS.some((g) => g.type === types![0] && g.keywords.some((k) => s[k] !== undefined)) ? types[0] : undefined;
    if (typeError && !deferredTo) out.push({ kind: 'type', path: this.here(), expected: types!, value: data });

    if (s.$ref !== undefined) {
      const target = this.resolve(s.$ref, document);
      this.walk(target.schema, data, out, target.document);
    }
    if (s.enum !== undefined && !(s.enum as unknown[]).some((allowed) => (typeof allowed === 'object' && allowed !== null ? deepEqual(data, allowed) : data === allowed))) {
      out.push({ kind: 'enum', path: this.here(), allowed: s.enum, value: data });
    }
    if (s.not !== undefined && this.passes(s.not, data, document)) out.push({ kind: 'constraint', path: this.here(), message: 'must NOT be valid' });
    if (s.anyOf && !(s.anyOf as Schema[]).some((sub) => this.passes(sub, data, document))) {
      out.push({ kind: 'constraint', path: this.here(), message: 'must match a schema in anyOf' });
    }
    if (s.oneOf && (s.oneOf as Schema[]).filter((sub) => this.passes(sub, data, document)).length !== 1) {
      out.push({ kind: 'constraint', path: this.here(), message: 'must match exactly one schema in oneOf' });
    }
    if (s.allOf) for (const sub of s.allOf) this.walk(sub, data, out, document);

    for (const group of GROUPS) {
      if (hasType(group.type, data)) {
        if (group.type === 'number') this.number(s, data as number, out);
        else if (group.type === 'string') this.string(s, data as string, out);
        else if (group.type === 'array') this.array(s, data as unknown[], out, document);
        else this.object(s, data as Record<string, unknown>, out, document);
      } else if (typeError && deferredTo === group.type) {
        out.push({ kind: 'type', path: this.here(), expected: types!, value: data });
      }
    }
    return out.length === before;
  }

  private number(s: any, data: number, out: SchemaProblem[]): void {
    if (typeof s.maximum === 'number' && !(data <= s.maximum)) out.push({ kind: 'constraint', path: this.here(), message: `must be <= ${s.maximum}` });
    if (typeof s.minimum === 'number' && !(data >= s.minimum)) out.push({ kind: 'constraint', path: this.here(), message: `must be >= ${s.minimum}` });
    if (typeof s.exclusiveMaximum === 'number' && !(data < s.exclusiveMaximum)) out.push({ kind: 'constraint', path: this.here(), message: `must be < ${s.exclusiveMaximum}` });
    if (typeof s.exclusiveMinimum === 'number' && !(data > s.exclusiveMinimum)) out.push({ kind: 'constraint', path: this.here(), message: `must be > ${s.exclusiveMinimum}` });
    if (typeof s.multipleOf === 'number' && data / s.multipleOf !== parseInt(String(data / s.multipleOf))) {
      out.push({ kind: 'constraint', path: this.here(), message: `must be multiple of ${s.multipleOf}` });
    }
    this.format(s, 'number', data, out);
  }

  private string(s: any, data: string, out: SchemaProblem[]): void {
    if (typeof s.maxLength === 'number' && lengthOf(data) > s.maxLength) out.push({ kind: 'constraint', path: this.here(), message: `must NOT have more than ${s.maxLength} characters` });
    if (typeof s.minLength === 'number' && lengthOf(data) < s.minLength) out.push({ kind: 'constraint', path: this.here(), message: `must NOT have fewer than ${s.minLength} characters` });
    if (typeof s.pattern === 'string' && !this.pattern(s.pattern).test(data)) out.push({ kind: 'constraint', path: this.here(), message: `must match pattern "${s.pattern}"` });
    this.format(s, 'string', data, out);
  }

  private format(s: any, type: 'string' | 'number', data: unknown, out: SchemaProblem[]): void {
    if (typeof s.format !== 'string') return;
    const format = FORMATS[s.format];
    if (format && format.type === type && !format.valid(data)) out.push({ kind: 'format', path: this.here(), format: s.format, value: data });
  }

  private array(s: any, data: unknown[], out: SchemaProblem[], document: JsonSchema | undefined): void {
    if (typeof s.maxItems === 'number' && data.length > s.maxItems) out.push({ kind: 'constraint', path: this.here(), message: `must NOT have more than ${s.maxItems} items` });
    if (typeof s.minItems === 'number' && data.length < s.minItems) out.push({ kind: 'constraint', path: this.here(), message: `must NOT have fewer than ${s.minItems} items` });
    if (s.uniqueItems === true) this.uniqueItems(data, s.items, out);
    if (s.items !== undefined) {
      if (Array.isArray(s.items)) {
        (s.items as Schema[]).forEach((sub, i) => i < data.length && this.child(i, sub, data[i], out, document));
        if (s.additionalItems !== undefined) for (let i = s.items.length; i < data.length; i++) this.child(i, s.additionalItems, data[i], out, document);
      } else {
        for (let i = 0; i < data.length; i++) this.child(i, s.items, data[i], out, document);
      }
    }
    if (s[LIST_MAP_KEYS] !== undefined && s[LIST_TYPE] === 'map') this.duplicates(s[LIST_MAP_KEYS], s, data, out);
    if (s[LIST_TYPE] === 'set') this.duplicates([], s, data, out);
  }

  /** ajv's two loops and its message: a map of primitives when the items' type says they are, else pairs. */
  private uniqueItems(data: unknown[], items: any, out: SchemaProblem[]): void {
    if (data.length <= 1) return;
    const itemTypes: string[] = items && typeof items === 'object' && items.type !== undefined ? (Array.isArray(items.type) ? items.type : [items.type]) : [];
    const duplicate = (j: number, i: number) => out.push({ kind: 'constraint', path: this.here(), message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)` });
    if (itemTypes.length > 0 && !itemTypes.some((t) => t === 'object' || t === 'array')) {
      const indices: Record<string, number> = {};
      for (let i = data.length; i--; ) {
        let item: any = data[i];
        if (!itemTypes.some((t) => hasType(t, item))) continue;
        if (itemTypes.length > 1 && typeof item === 'string') item += '_';
        if (typeof indices[item] === 'number') return void duplicate(indices[item], i);
        indices[item] = i;
      }
      return;
    }
    for (let i = data.length; i--; ) {
      for (let j = i; j--; ) if (deepEqual(data[i], data[j])) return void duplicate(j, i);
    }
  }

  /** x-kubernetes-list-type map (by the map keys, with the key fields' defaults) or set (by the whole entry). */
  private duplicates(keys: string[], s: any, data: unknown[], out: SchemaProblem[]): void {
    for (const d of listDuplicates(keys, s, data)) out.push({ kind: 'duplicate-key', path: [...this.path, d.index], key: d.key, firstIndex: d.firstIndex });
  }

  private object(s: any, data: Record<string, unknown>, out: SchemaProblem[], document: JsonSchema | undefined): void {
    const count = typeof s.maxProperties === 'number' || typeof s.minProperties === 'number' ? Object.keys(data).length : 0;
    if (typeof s.maxProperties === 'number' && count > s.maxProperties) out.push({ kind: 'constraint', path: this.here(), message: `must NOT have more than ${s.maxProperties} properties` });
    if (typeof s.minProperties === 'number' && count < s.minProperties) out.push({ kind: 'constraint', path: this.here(), message: `must NOT have fewer than ${s.minProperties} properties` });
    if (Array.isArray(s.required)) for (const field of s.required) if (data[field] === undefined) out.push({ kind: 'required', path: this.here(), field });
    const properties: Record<string, Schema> | undefined = s.properties;
    if (s.additionalProperties !== undefined && s.additionalProperties !== true) {
      for (const name of Object.keys(data)) {
        if (properties && Object.prototype.hasOwnProperty.call(properties, name)) continue;
        if (s.additionalProperties === false) out.push({ kind: 'unknown-field', path: [...this.path, name], field: name, allowed: Object.keys(properties ?? {}) });
        else this.child(name, s.additionalProperties, data[name], out, document);
      }
    }
    if (properties) {
      for (const name of Object.keys(properties)) {
        const value = data[name];
        if (value !== undefined) this.child(name, properties[name], value, out, document);
      }
    }
  }
}
