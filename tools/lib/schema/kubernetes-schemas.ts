// The committed JSON Schemas of the built-in API (schemas/kubernetes/v<release>.json, from tools/generate-schemas.ts)
// and the choice of the release whose schemas validate a cluster.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubernetesMinor } from './api-catalog.ts';

export type JsonSchema = Record<string, unknown>;

export interface BuiltinSchemaBundle {
  /** Release the schemas were generated from, e.g. "1.33.13". */
  kubernetesVersion: string;
  source: { openapi: string; enums: string; generator: string };
  /** "apps/v1/Deployment" (core: "v1/Pod") -> definition name. */
  kinds: Record<string, string>;
  definitions: Record<string, JsonSchema>;
}

export const BUILTIN_SCHEMAS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schemas/kubernetes');

/** Releases with committed schemas, e.g. ["1.33.13"]. */
export function availableReleases(dir = BUILTIN_SCHEMAS_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((f) => /^v(1\.\d+\.\d+)\.json$/.exec(f)?.[1]).filter((v): v is string => !!v).sort((a, b) => minorOf(a) - minorOf(b));
}

function minorOf(release: string): number {
  return Number(release.split('.')[1]);
}

export interface ReleaseChoice {
  release: string;
  /** True when the cluster's minor has no schemas of its own and the nearest release stands in. */
  fallback: boolean;
}

/** The release whose schemas validate a cluster running `kubernetesVersion`: the same minor, else the nearest (newer on a tie). */
export function chooseRelease(kubernetesVersion: string, releases = availableReleases()): ReleaseChoice | undefined {
  if (releases.length === 0) return undefined;
  const minor = kubernetesMinor(kubernetesVersion);
  if (minor === undefined) return { release: releases[releases.length - 1], fallback: true };
  const exact = releases.filter((r) => minorOf(r) === minor);
  if (exact.length > 0) return { release: exact[exact.length - 1], fallback: false };
  const nearest = [...releases].sort((a, b) => Math.abs(minorOf(a) - minor) - Math.abs(minorOf(b) - minor) || minorOf(b) - minorOf(a))[0];
  return { release: nearest, fallback: true };
}

const loaded = new Map<string, BuiltinSchemaBundle>();

export function loadBuiltinSchemas(release: string, dir = BUILTIN_SCHEMAS_DIR): BuiltinSchemaBundle {
  const key = path.join(dir, release);
  let bundle = loaded.get(key);
  if (!bundle) {
    bundle = JSON.parse(fs.readFileSync(path.join(dir, `v${release}.json`), 'utf8')) as BuiltinSchemaBundle;
    loaded.set(key, bundle);
  }
  return bundle;
}
