// Validating objects against JSON Schemas the way the API server would judge them, with the schema walker: the committed
// built-in definitions are one document, a custom resource's schema is converted once per CRD version and kept.
import type { BuiltinSchemaBundle, JsonSchema } from './kubernetes-schemas.ts';
import { SchemaWalker } from './schema-walker.ts';
import type { SchemaProblem } from './schema-problems.ts';

export { KEY_DEFAULTS, type SchemaProblem } from './schema-problems.ts';

/** What object validation needs of a validator: the walker's and ajv's (the reference in tests) both fit. */
export interface ObjectSchemaValidator {
  addBuiltin(bundle: BuiltinSchemaBundle): void;
  validateBuiltin(release: string, definition: string, data: unknown): SchemaProblem[];
  validateWith(cacheKey: string, schema: () => JsonSchema, data: unknown): SchemaProblem[];
}

export class SchemaValidator implements ObjectSchemaValidator {
  private readonly walker = new SchemaWalker();
  private readonly bundles = new Map<string, JsonSchema>();
  private readonly schemas = new Map<string, JsonSchema>();

  /** The id under which a release's definitions are known, for $refs from custom resource schemas. */
  static bundleId(release: string): string {
    return `kubernetes-${release}`;
  }

  addBuiltin(bundle: BuiltinSchemaBundle): void {
    const id = SchemaValidator.bundleId(bundle.kubernetesVersion);
    if (this.bundles.has(id)) return;
    const document = { $id: id, definitions: bundle.definitions };
    this.walker.addDocument(id, document);
    this.bundles.set(id, document);
  }

  /** Validates against a definition of an added bundle ("io.k8s.api.apps.v1.Deployment"). */
  validateBuiltin(release: string, definition: string, data: unknown): SchemaProblem[] {
    const id = SchemaValidator.bundleId(release);
    const document = this.bundles.get(id);
    if (!document) throw new Error(`can't resolve reference ${id}#/definitions/${definition}`);
    return this.walker.validate({ $ref: `#/definitions/${definition}` }, data, document);
  }

  /** Validates against a schema known by `cacheKey` (built the first time the key is seen). */
  validateWith(cacheKey: string, schema: () => JsonSchema, data: unknown): SchemaProblem[] {
    let known = this.schemas.get(cacheKey);
    if (!known) this.schemas.set(cacheKey, (known = schema()));
    return this.walker.validate(known, data, known);
  }
}
