// One rendered object as the rendered diff compares it: without the fields that reconcilers, kustomize,
// the API server and this checker add (they change nothing a cluster runs), keys sorted so that moving a
// field in a file shows no change, and a Secret's values never in the text.
import { stringify } from 'yaml';
import type { K8sObject, ObjectRef } from '../core/types.ts';
import { groupOfApiVersion, isKind, objectKey } from '../core/identity.ts';

/** Annotations that say how an object was rendered or applied, not what it is. */
const NOISE_ANNOTATIONS = new Set([
  'config.kubernetes.io/origin',
  'alpha.config.kubernetes.io/transformations',
  'config.k8s.io/id',
  'kustomize.config.k8s.io/id',
  'kustomize.config.k8s.io/needs-hash',
  'kustomize.config.k8s.io/behavior',
  'kubectl.kubernetes.io/last-applied-configuration',
  'argocd.argoproj.io/tracking-id',
  'argocd.argoproj.io/installation-id',
  'kustomize.toolkit.fluxcd.io/checksum',
  'reconcile.fluxcd.io/requestedAt',
]);
const NOISE_ANNOTATION_PREFIXES = ['internal.config.kubernetes.io/', 'policy-check.dev/'];

/**
 * Labels Flux and Argo CD put on what they apply, to find it again. `app.kubernetes.io/instance` stays:
 * Argo CD's label tracking uses it, but so do selectors, and a selector change is a real change.
 */
const NOISE_LABELS = new Set([
  'kustomize.toolkit.fluxcd.io/name',
  'kustomize.toolkit.fluxcd.io/namespace',
  'helm.toolkit.fluxcd.io/name',
  'helm.toolkit.fluxcd.io/namespace',
  'argocd.argoproj.io/instance',
]);

/** Fields the API server owns; a manifest copied from `kubectl get -o yaml` carries them, a cluster ignores them. */
const SERVER_METADATA = ['creationTimestamp', 'generation', 'managedFields', 'resourceVersion', 'selfLink', 'uid'];

export const REDACTED = '<redacted>';
export const REDACTED_CHANGED = '<redacted, changed>';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

export function referenceOf(object: K8sObject): ObjectRef {
  const metadata = isMap(object.metadata) ? object.metadata : {};
  const ref: ObjectRef = { apiVersion: text(object.apiVersion), kind: text(object.kind), name: text(metadata.name) };
  if (metadata.namespace) ref.namespace = text(metadata.namespace);
  return ref;
}

/** Identity inside a cluster (core/identity.ts: API group, not version, so v1beta1 -> v1 is one changed object). */
export function identityOf(object: K8sObject): string {
  return objectKey(referenceOf(object));
}

/** The order objects are shown in: namespace, kind, name, then group, so one namespace's objects stay together. */
export function displayOrderOf(object: K8sObject): string {
  const ref = referenceOf(object);
  return [ref.namespace ?? '', ref.kind, ref.name, groupOfApiVersion(ref.apiVersion)].join('\u0000');
}

export function isSecret(object: K8sObject): boolean {
  return isKind(referenceOf(object), 'Secret', '');
}

function withoutNoise(labelsOrAnnotations: unknown, noise: (key: string) => boolean): unknown {
  if (!isMap(labelsOrAnnotations)) return labelsOrAnnotations;
  const kept = Object.fromEntries(Object.entries(labelsOrAnnotations).filter(([key]) => !noise(key)));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** A deep copy without the rendering, tracking and server-owned fields. */
export function stripNoise(object: K8sObject): Record<string, unknown> {
  const copy = structuredClone(object) as Record<string, unknown>;
  delete copy.status;
  if (!isMap(copy.metadata)) return copy;
  const metadata = copy.metadata;
  for (const field of SERVER_METADATA) delete metadata[field];
  const annotations = withoutNoise(metadata.annotations, (key) => NOISE_ANNOTATIONS.has(key) || NOISE_ANNOTATION_PREFIXES.some((p) => key.startsWith(p)));
  const labels = withoutNoise(metadata.labels, (key) => NOISE_LABELS.has(key));
  if (annotations === undefined) delete metadata.annotations;
  else metadata.annotations = annotations;
  if (labels === undefined) delete metadata.labels;
  else metadata.labels = labels;
  return copy;
}

const SECRET_FIELDS = ['data', 'stringData'] as const;

export interface RedactedPair {
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** `data.password`, `stringData.token`...: the values that differ between the two sides, by key only. */
  changedKeys: string[];
}

/**
 * Replaces every value of a Secret's `data` and `stringData` by a placeholder. A value that differs
 * between the two sides reads `<redacted, changed>` on the new side, so the diff says which key changed
 * without a hash or length that could give the value away.
 */
export function redactSecrets(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): RedactedPair {
  const changedKeys: string[] = [];
  const copy = (side: Record<string, unknown> | undefined) => (side ? { ...side } : undefined);
  const redactedBefore = copy(before);
  const redactedAfter = copy(after);
  for (const field of SECRET_FIELDS) {
    const old = before?.[field];
    const now = after?.[field];
    if (redactedBefore && old !== undefined) redactedBefore[field] = isMap(old) ? Object.fromEntries(Object.keys(old).map((key) => [key, REDACTED])) : REDACTED;
    if (redactedAfter && now !== undefined) {
      if (isMap(now)) {
        redactedAfter[field] = Object.fromEntries(
          Object.entries(now).map(([key, value]) => {
            const changed = redactedBefore !== undefined && isMap(old) && key in old && JSON.stringify(old[key]) !== JSON.stringify(value);
            if (changed) changedKeys.push(`${field}.${key}`);
            return [key, changed ? REDACTED_CHANGED : REDACTED];
          }),
        );
      } else {
        const changed = redactedBefore !== undefined && old !== undefined && JSON.stringify(old) !== JSON.stringify(now);
        if (changed) changedKeys.push(field);
        redactedAfter[field] = changed ? REDACTED_CHANGED : REDACTED;
      }
    }
  }
  return { before: redactedBefore, after: redactedAfter, changedKeys };
}

const LEADING_KEYS = ['apiVersion', 'kind', 'metadata'];
const LEADING_METADATA_KEYS = ['name', 'namespace'];

function sortedKeys(map: Record<string, unknown>, leading: string[]): string[] {
  const rest = Object.keys(map)
    .filter((key) => !leading.includes(key))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...leading.filter((key) => key in map), ...rest];
}

function canonical(value: unknown, leading: string[] = [], depth = 0): Json {
  if (Array.isArray(value)) return value.map((item) => canonical(item, [], depth + 1));
  if (isMap(value)) {
    const out: { [key: string]: Json } = {};
    for (const key of sortedKeys(value, leading)) {
      if (value[key] === undefined) continue;
      out[key] = canonical(value[key], depth === 0 && key === 'metadata' ? LEADING_METADATA_KEYS : [], depth + 1);
    }
    return out;
  }
  if (value === undefined) return null;
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return value as Json;
}

/** The canonical form as one string, to tell equal objects apart cheaply before any YAML is written. */
export function canonicalJson(value: Record<string, unknown>): string {
  return JSON.stringify(canonical(value, LEADING_KEYS));
}

/**
 * Canonical YAML lines of an object: apiVersion, kind, metadata (name, namespace first) lead, every
 * other map is sorted by key, lists keep their order (order means something in containers and env),
 * and no line is folded, so a one-field change is a one-line change.
 */
export function canonicalLines(value: Record<string, unknown>): string[] {
  const yaml = stringify(canonical(value, LEADING_KEYS), { lineWidth: 0, aliasDuplicateObjects: false });
  return yaml.replace(/\n$/, '').split('\n');
}
