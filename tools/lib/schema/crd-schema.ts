// A CustomResourceDefinition's structural openAPIV3Schema -> the JSON Schema ajv validates a custom resource with,
// keeping the API server's semantics: unknown fields are errors unless x-kubernetes-preserve-unknown-fields,
// x-kubernetes-int-or-string takes an integer or a string, nullable admits null, x-kubernetes-embedded-resource
// is an object with apiVersion, kind and ObjectMeta metadata. CEL rules (x-kubernetes-validations) are not evaluated.
import type { JsonSchema } from './kubernetes-schemas.ts';
import { KNOWN_FORMATS } from './formats.ts';

const COPIED = [
  'enum', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'uniqueItems',
  'multipleOf', 'minimum', 'maximum', 'required', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
];

export function structuralToJsonSchema(schema: any, objectMetaRef: string, embedded = false): JsonSchema {
  if (!schema || typeof schema !== 'object') return {};
  const out: JsonSchema = {};
  for (const key of COPIED) if (schema[key] !== undefined) out[key] = schema[key];
  if (typeof schema.format === 'string' && KNOWN_FORMATS.has(schema.format)) out.format = schema.format;
  if (schema.exclusiveMinimum === true && typeof schema.minimum === 'number') (out.exclusiveMinimum = schema.minimum), delete out.minimum;
  if (schema.exclusiveMaximum === true && typeof schema.maximum === 'number') (out.exclusiveMaximum = schema.maximum), delete out.maximum;
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) out[key] = schema[key].map((s: any) => structuralToJsonSchema(s, objectMetaRef));
  }
  if (schema.not) out.not = structuralToJsonSchema(schema.not, objectMetaRef);

  let type: string | string[] | undefined = schema.type;
  if (schema['x-kubernetes-int-or-string']) {
    type = ['integer', 'string'];
    // the structural form spells it out as anyOf [{type: integer}, {type: string}]: the type list says the same
    if (Array.isArray(out.anyOf) && (out.anyOf as JsonSchema[]).every((s) => Object.keys(s).length === 1 && s.type)) delete out.anyOf;
  }
  if (schema.nullable === true && type !== undefined) type = [...(Array.isArray(type) ? type : [type]), 'null'];
  if (type !== undefined) out.type = type;

  if (schema.items) out.items = structuralToJsonSchema(schema.items, objectMetaRef);
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const isEmbedded = embedded || schema['x-kubernetes-embedded-resource'] === true;
  if (schema.properties || isEmbedded) {
    const properties: Record<string, JsonSchema> = {};
    for (const [name, property] of Object.entries<any>(schema.properties ?? {})) properties[name] = structuralToJsonSchema(property, objectMetaRef);
    if (isEmbedded) {
      properties.apiVersion = { type: 'string' };
      properties.kind = { type: 'string' };
      properties.metadata = { $ref: objectMetaRef };
      if (!embedded) out.required = [...new Set([...((out.required as string[]) ?? []), 'apiVersion', 'kind'])];
    }
    out.properties = properties;
  }
  if (schema.additionalProperties !== undefined) {
    out.additionalProperties = typeof schema.additionalProperties === 'boolean' ? schema.additionalProperties : structuralToJsonSchema(schema.additionalProperties, objectMetaRef);
  } else if (!preserve && (schema.type === 'object' || out.properties)) {
    out.additionalProperties = false;
  }
  return out;
}

/** The schema of a whole custom resource: its version's openAPIV3Schema, with apiVersion, kind and ObjectMeta at the root. */
export function customResourceSchema(openAPIV3Schema: object, objectMetaRef: string): JsonSchema {
  return structuralToJsonSchema(openAPIV3Schema, objectMetaRef, true);
}
