// Every object of a cluster against the schema the API server would use: the built-in OpenAPI of the cluster's release
// (or the nearest committed one), a CustomResourceDefinition rendered in the cluster, or the committed chart CRDs.
import { createHash } from 'node:crypto';
import type { K8sObject } from '../core/types.ts';
import { availableReleases, chooseRelease, loadBuiltinSchemas, type ReleaseChoice } from './kubernetes-schemas.ts';
import { bundledCrdSchemas, crdSchemaFor, renderedCrdSchemas, type CrdVersionSchema } from './crd-catalog.ts';
import { customResourceSchema } from './crd-schema.ts';
import { SchemaValidator, type ObjectSchemaValidator, type SchemaProblem } from './validator.ts';
import { builtinStatus } from './api-catalog.ts';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

export type ObjectValidation =
  | { object: K8sObject; status: 'validated'; schema: string; problems: SchemaProblem[] }
  | { object: K8sObject; status: 'skipped'; reason: string };

export interface ClusterValidation {
  release?: ReleaseChoice;
  results: ObjectValidation[];
}

/** One validator per process: a custom resource's schema is converted once, on the first object that needs it. */
let shared: SchemaValidator | undefined;
function validator(): SchemaValidator {
  return (shared ??= new SchemaValidator());
}

/** The API server treats a null field as absent (custom resources: pruned unless nullable); list entries stay. */
export function withoutNullFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullFields);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== null) out[key] = withoutNullFields(field);
  return out;
}

const crdKeys = new WeakMap<object, string>();
/** Hashing a CRD's schema costs more than validating with it: once per schema object, not once per custom resource. */
function crdCacheKey(crd: CrdVersionSchema): string {
  const schema = crd.schema && typeof crd.schema === 'object' ? (crd.schema as object) : undefined;
  const known = schema ? crdKeys.get(schema) : undefined;
  const hash = known ?? createHash('sha1').update(JSON.stringify(crd.schema ?? null)).digest('hex');
  if (schema && !known) crdKeys.set(schema, hash);
  return `${crd.group}/${crd.version}/${crd.kind}|${hash}`;
}

/** `check` defaults to the process-wide validator; a fresh one measures a cold start, an ajv one is the tests' reference. */
export function validateClusterObjects(objects: K8sObject[], kubernetesVersion: string, releases = availableReleases(), check: ObjectSchemaValidator = validator()): ClusterValidation {
  const release = chooseRelease(kubernetesVersion, releases);
  if (!release) return { results: objects.map((object) => ({ object, status: 'skipped', reason: 'no built-in schemas are committed (schemas/kubernetes/ is empty)' })) };
  const bundle = loadBuiltinSchemas(release.release);
  check.addBuiltin(bundle);
  const metaRef = `${SchemaValidator.bundleId(bundle.kubernetesVersion)}#/definitions/${OBJECT_META}`;
  const rendered = renderedCrdSchemas(objects);
  const committed = bundledCrdSchemas();
  const results: ObjectValidation[] = [];
  for (const object of objects) {
    const { apiVersion, kind } = object;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
    const definition = bundle.kinds[`${apiVersion}/${kind}`];
    if (definition) {
      results.push({ object, status: 'validated', schema: `Kubernetes ${bundle.kubernetesVersion}`, problems: check.validateBuiltin(bundle.kubernetesVersion, definition, withoutNullFields(object)) });
      continue;
    }
    const crd = crdSchemaFor(apiVersion, kind, rendered, committed);
    if (crd && (!crd.schema || typeof crd.schema !== 'object' || Array.isArray(crd.schema))) {
      results.push({ object, status: 'skipped', reason: `${crd.source} has no openAPIV3Schema map for ${apiVersion}` });
      continue;
    }
    if (crd) {
      const problems = check.validateWith(crdCacheKey(crd), () => customResourceSchema(crd.schema as object, metaRef), withoutNullFields(object));
      results.push({ object, status: 'validated', schema: crd.source, problems });
      continue;
    }
    const builtin = builtinStatus(apiVersion, kind, Number(bundle.kubernetesVersion.split('.')[1])).status !== 'unknown';
    results.push({
      object,
      status: 'skipped',
      reason: builtin
        ? `the Kubernetes ${bundle.kubernetesVersion} schemas have no ${apiVersion} ${kind}`
        : `no schema is known for ${apiVersion} ${kind}: no CustomResourceDefinition in this cluster or in schemas/crds/ defines it`,
    });
  }
  return { release, results };
}
