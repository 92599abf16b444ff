// Where a custom resource's schema comes from: a CustomResourceDefinition rendered in the same cluster, else the CRD
// schemas of the charts this repository installs (schemas/crds/*.json, from tools/generate-crd-schemas.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { K8sObject } from '../core/types.ts';

export interface CrdVersionSchema {
  group: string;
  kind: string;
  version: string;
  served: boolean;
  /** The version's openAPIV3Schema as the CRD writes it (descriptions dropped in committed bundles). */
  schema: unknown;
  /** Where the schema comes from, for messages and the compile cache. */
  source: string;
}

/** A committed bundle: the CRDs one upstream project ships at one tag. */
export interface CrdBundle {
  name: string;
  source: { repo: string; tag: string; paths: string[]; generator: string };
  crds: { group: string; kind: string; scope: string; versions: { name: string; served: boolean; schema: unknown }[] }[];
}

export const CRD_BUNDLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schemas/crds');

let bundled: Map<string, CrdVersionSchema> | undefined;

function keyOf(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/** Committed CRD schemas by "group/version/kind". */
export function bundledCrdSchemas(dir = CRD_BUNDLES_DIR): Map<string, CrdVersionSchema> {
  if (bundled && dir === CRD_BUNDLES_DIR) return bundled;
  const map = new Map<string, CrdVersionSchema>();
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  for (const file of files) {
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CrdBundle;
    for (const crd of bundle.crds) {
      for (const version of crd.versions) {
        map.set(keyOf(crd.group, version.name, crd.kind), {
          group: crd.group, kind: crd.kind, version: version.name, served: version.served, schema: version.schema,
          source: `${bundle.name} ${bundle.source.tag}`,
        });
      }
    }
  }
  if (dir === CRD_BUNDLES_DIR) bundled = map;
  return map;
}

/** Schemas of the apiextensions.k8s.io/v1 CRDs among a cluster's objects, by "group/version/kind". */
export function renderedCrdSchemas(objects: K8sObject[]): Map<string, CrdVersionSchema> {
  const map = new Map<string, CrdVersionSchema>();
  for (const object of objects) {
    if (object.kind !== 'CustomResourceDefinition' || object.apiVersion !== 'apiextensions.k8s.io/v1') continue;
    const spec = (object as any).spec;
    const group = spec?.group;
    const kind = spec?.names?.kind;
    if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec.versions)) continue;
    for (const version of spec.versions) {
      if (typeof version?.name !== 'string') continue;
      map.set(keyOf(group, version.name, kind), {
        group, kind, version: version.name, served: version.served === true, schema: version.schema?.openAPIV3Schema,
        source: `CustomResourceDefinition ${object.metadata.name ?? `${spec.names?.plural}.${group}`}`,
      });
    }
  }
  return map;
}

export function crdSchemaFor(apiVersion: string, kind: string, rendered: Map<string, CrdVersionSchema>, committed = bundledCrdSchemas()): CrdVersionSchema | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const key = keyOf(apiVersion.slice(0, slash), apiVersion.slice(slash + 1), kind);
  return rendered.get(key) ?? committed.get(key);
}
