// npm run generate:schemas -- [OPENAPI_DIR [OUT_DIR]] : Kubernetes' OpenAPI v3 documents -> schemas/kubernetes/v<version>.json,
// one compact strict JSON Schema document per release (descriptions dropped, definitions shared across groups,
// unknown fields rejected as `kubectl --validate=strict` does, enums from the `+enum` markers of k8s.io/api).
//
// OPENAPI_DIR defaults to ../shared/kubernetes-openapi/v1.33.13: `api/openapi-spec/v3/` of kubernetes/kubernetes at
// that tag. The enums come from k8s.io/api v0.<minor>.<patch>, fetched with `go mod download` (Go module proxy or cache).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { enumFieldsOf } from './lib/schema/go-enums.ts';
import type { BuiltinSchemaBundle, JsonSchema } from './lib/schema/kubernetes-schemas.ts';
import { KEY_DEFAULTS } from './lib/schema/schema-problems.ts';

const root = path.resolve(import.meta.dirname, '..');

const REF_PREFIX = '#/components/schemas/';
/** Only what validation reads: everything else (descriptions, patch strategies, defaults) is dropped. */
const KEPT = ['type', 'format', 'required', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource'];
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

function refName(ref: string): string {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unexpected $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
}

/** One OpenAPI schema -> compact strict JSON Schema; `enums` maps "Definition.field" to its values. */
function compact(schema: any, definition: string, enums: Map<string, string[]>, refs: Set<string>): JsonSchema {
  if (schema.$ref) {
    refs.add(refName(schema.$ref));
    return { $ref: `#/definitions/${refName(schema.$ref)}` };
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && schema.allOf[0].$ref) {
    return compact(schema.allOf[0], definition, enums, refs);
  }
  const out: JsonSchema = {};
  for (const key of KEPT) if (schema[key] !== undefined) out[key] = schema[key];
  if (out.format === 'int-or-string') delete out.format;
  if (Array.isArray(schema.oneOf)) {
    const types = schema.oneOf.map((s: any) => s.type);
    if (types.every((t: unknown) => typeof t === 'string') && schema.oneOf.every((s: any) => Object.keys(s).length === 1)) out.type = types;
    else out.oneOf = schema.oneOf.map((s: any) => compact(s, definition, enums, refs));
  }
  if (schema.items) {
    const itemEnum = enums.get(`${definition}[]`);
    out.items = compact(schema.items, definition, enums, refs);
    if (itemEnum) out.items = { ...(out.items as JsonSchema), enum: itemEnum };
  }
  if (schema.properties) {
    out.properties = {};
    for (const [name, property] of Object.entries<any>(schema.properties)) {
      const field = `${definition}.${name}`;
      const compacted = compact(property, field, enums, refs);
      const values = enums.get(field);
      (out.properties as Record<string, JsonSchema>)[name] = values && compacted.type === 'string' ? { ...compacted, enum: values } : compacted;
    }
    if (schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  }
  if (schema.additionalProperties !== undefined) {
    out.additionalProperties = typeof schema.additionalProperties === 'boolean' ? schema.additionalProperties : compact(schema.additionalProperties, `${definition}{}`, enums, refs);
  }
  return out;
}

/**
 * Server-side apply keys list entries by the defaulted key (a port without protocol is TCP): the defaults of the key
 * fields go next to the keys, where the duplicate check reads them without resolving the item's $ref.
 */
function addKeyDefaults(definitions: Record<string, any>, raw: Record<string, any>): void {
  for (const [name, schema] of Object.entries<any>(raw)) {
    for (const [field, property] of Object.entries<any>(schema.properties ?? {})) {
      const keys: string[] | undefined = property['x-kubernetes-list-map-keys'];
      const item = property.items?.allOf?.[0]?.$ref ?? property.items?.$ref;
      const target = definitions[name]?.properties?.[field];
      if (!keys || !item || !target) continue;
      const defaults = Object.fromEntries(keys.map((k) => [k, raw[refName(item)]?.properties?.[k]?.default]).filter(([k, v]) => v !== undefined && v !== '' && v !== 0 && k));
      if (Object.keys(defaults).length > 0) target[KEY_DEFAULTS] = defaults;
    }
  }
}

function enumsFor(version: string): { fields: Map<string, string[]>; module: string } {
  const module = `k8s.io/api@v0.${version.split('.').slice(1).join('.')}`;
  const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', module], { encoding: 'utf8', cwd: fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'gen-schemas-')) }));
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? 'no folder'}`);
  return { fields: enumFieldsOf(info.Dir), module };
}

function main() {
  const openapiDir = path.resolve(process.argv[2] ?? path.join(root, '../shared/kubernetes-openapi/v1.33.13'));
  if (!fs.existsSync(openapiDir)) {
    console.error(`generate-schemas: ${openapiDir} not found; pass the folder of Kubernetes' OpenAPI v3 documents (api/openapi-spec/v3 at a release tag)`);
    process.exit(2);
  }
  const version = /v?(1\.\d+\.\d+)/.exec(path.basename(openapiDir))?.[1];
  if (!version) {
    console.error(`generate-schemas: the folder name ${path.basename(openapiDir)} should name the release, e.g. v1.33.13`);
    process.exit(2);
  }
  const { fields: enums, module } = enumsFor(version);
  const raw: Record<string, any> = {};
  const kinds: Record<string, string> = {};
  for (const file of fs.readdirSync(openapiDir).filter((f) => f.endsWith('_openapi.json')).sort()) {
    const document = JSON.parse(fs.readFileSync(path.join(openapiDir, file), 'utf8'));
    for (const [name, schema] of Object.entries<any>(document.components?.schemas ?? {})) {
      raw[name] ??= schema;
      for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
        // the shared meta types (DeleteOptions, WatchEvent) list every group; only a type of the group's own package is its kind
        if (name.startsWith('io.k8s.apimachinery.')) continue;
        if (gvk.kind.endsWith('List') && schema.properties?.items) continue;
        kinds[`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`] = name;
      }
    }
  }
  const definitions: Record<string, JsonSchema> = {};
  const pending = [...new Set(Object.values(kinds))];
  const seen = new Set(pending);
  while (pending.length > 0) {
    const name = pending.pop()!;
    const refs = new Set<string>();
    definitions[name] = name === QUANTITY ? { type: ['string', 'number'], format: 'quantity' } : name === INT_OR_STRING ? { type: ['integer', 'string'] } : compact(raw[name], name, enums, refs);
    for (const ref of refs) if (!seen.has(ref)) (seen.add(ref), pending.push(ref));
  }
  addKeyDefaults(definitions, raw);
  const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
  const bundle: BuiltinSchemaBundle = {
    kubernetesVersion: version,
    source: {
      openapi: `kubernetes/kubernetes v${version} api/openapi-spec/v3`,
      enums: `${module} (+enum markers)`,
      generator: 'tools/generate-schemas.ts',
    },
    kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b))),
    definitions: sorted,
  };
  const out = path.join(path.resolve(process.argv[3] ?? path.join(root, 'schemas/kubernetes')), `v${version}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(bundle) + '\n');
  const enumCount = JSON.stringify(sorted).split('"enum"').length - 1;
  console.log(`${path.relative(root, out)}: ${Object.keys(bundle.kinds).length} kinds, ${Object.keys(sorted).length} definitions, ${enumCount} enums, ${(fs.statSync(out).size / 1024).toFixed(0)} KiB`);
}

main();
