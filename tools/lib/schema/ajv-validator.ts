// The reference validator: ajv, compiling each schema once (lazily, on the first object of its kind), its errors turned
// into the same plain problems as the schema walker's. The check uses the walker (no compile step, see schema-walker.ts);
// the tests and the benchmark compare the two.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FieldPath } from '../core/types.ts';
import { KEY_DEFAULTS, LIST_MAP_KEYS, LIST_TYPE, listDuplicates, type SchemaProblem } from './schema-problems.ts';
import type { BuiltinSchemaBundle, JsonSchema } from './kubernetes-schemas.ts';
import { addKubernetesFormats } from './formats.ts';

/** The entry's key under list-map keys, with a key field's default when the entry leaves it out (protocol: TCP). */
function duplicateCheck(keysOf: (schema: JsonSchema, parent: any) => string[] | undefined) {
  return function check(this: unknown, schema: unknown, data: unknown[], parentSchema?: any): boolean {
    const keys = keysOf(schema as JsonSchema, parentSchema);
    if (!keys || !Array.isArray(data)) return true;
    const errors: Partial<ErrorObject>[] = listDuplicates(keys, parentSchema, data).map((d) => ({ keyword: 'duplicate-key', message: 'duplicate', params: d }));
    (check as any).errors = errors;
    return errors.length === 0;
  };
}

// Compiling, not validating, is what costs (the pod spec alone is hundreds of definitions): one function per definition,
// shared by every kind that uses it, and no optimisation passes over the generated code make a cold start about 2.5x faster.
function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, validateSchema: false, logger: false, inlineRefs: false, code: { optimize: false } });
  addKubernetesFormats(ajv);
  ajv.addKeyword({ keyword: LIST_MAP_KEYS, type: 'array', errors: true, validate: duplicateCheck((schema, parent) => (parent?.[LIST_TYPE] === 'map' ? (schema as unknown as string[]) : undefined)) });
  ajv.addKeyword({ keyword: LIST_TYPE, type: 'array', errors: true, validate: duplicateCheck((schema) => ((schema as unknown) === 'set' ? [] : undefined)) });
  for (const keyword of [KEY_DEFAULTS, 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string']) ajv.addKeyword({ keyword });
  return ajv;
}

function pathOf(instancePath: string): FieldPath {
  if (!instancePath) return [];
  return instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(data: unknown, path: FieldPath): unknown {
  let current: any = data;
  for (const segment of path) current = current?.[segment as any];
  return current;
}

/** ajv errors -> problems; for anyOf/oneOf only the alternative's summary stays, not every branch's complaint. */
function problemsOf(errors: ErrorObject[], data: unknown): SchemaProblem[] {
  const branches = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    if (branches.some((b) => error.schemaPath !== b && error.schemaPath.startsWith(`${b}/`))) continue;
    const path = pathOf(error.instancePath);
    const params = error.params as any;
    switch (error.keyword) {
      case 'additionalProperties': {
        const parent = error.parentSchema as any;
        problems.push({ kind: 'unknown-field', path: [...path, params.additionalProperty], field: params.additionalProperty, allowed: Object.keys(parent?.properties ?? {}) });
        break;
      }
      case 'type':
        problems.push({ kind: 'type', path, expected: String(params.type).split(','), value: valueAt(data, path) });
        break;
      case 'enum':
        problems.push({ kind: 'enum', path, allowed: params.allowedValues, value: valueAt(data, path) });
        break;
      case 'required':
        problems.push({ kind: 'required', path, field: params.missingProperty });
        break;
      case 'format':
        problems.push({ kind: 'format', path, format: params.format, value: valueAt(data, path) });
        break;
      case 'duplicate-key':
        problems.push({ kind: 'duplicate-key', path: [...path, params.index], key: params.key, firstIndex: params.firstIndex });
        break;
      case LIST_MAP_KEYS:
      case LIST_TYPE:
        break;
      default:
        problems.push({ kind: 'constraint', path, message: error.message ?? error.keyword });
    }
  }
  return problems;
}

export class AjvSchemaValidator {
  private readonly ajv = newAjv();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly bundles = new Set<string>();

  /** The id under which a release's definitions are known, for $refs from custom resource schemas. */
  static bundleId(release: string): string {
    return `kubernetes-${release}`;
  }

  addBuiltin(bundle: BuiltinSchemaBundle): void {
    const id = AjvSchemaValidator.bundleId(bundle.kubernetesVersion);
    if (this.bundles.has(id)) return;
    this.ajv.addSchema({ $id: id, definitions: bundle.definitions }, id);
    this.bundles.add(id);
  }

  /** Validates against a definition of an added bundle ("io.k8s.api.apps.v1.Deployment"). */
  validateBuiltin(release: string, definition: string, data: unknown): SchemaProblem[] {
    const id = `${AjvSchemaValidator.bundleId(release)}#/definitions/${definition}`;
    return this.run(id, () => this.ajv.compile({ $ref: id }), data);
  }

  /** Validates against a schema known by `cacheKey` (compiled the first time the key is seen). */
  validateWith(cacheKey: string, schema: () => JsonSchema, data: unknown): SchemaProblem[] {
    return this.run(cacheKey, () => this.ajv.compile(schema()), data);
  }

  private run(key: string, compile: () => ValidateFunction, data: unknown): SchemaProblem[] {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = compile();
      this.compiled.set(key, validate);
    }
    return validate(data) ? [] : problemsOf(validate.errors ?? [], data);
  }
}
