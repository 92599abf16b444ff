// One identity for an object inside a cluster: the API group is part of it, so a Knative `Service` and a core
// `Service` with the same namespace and name are two objects. Every index, dedupe, locate and fingerprint uses this.
import type { K8sObject, ObjectRef } from './types.ts';
import { BUILTIN_APIS } from '../schema/api-catalog.ts';

/** The API group of an apiVersion ('' for the core group, and for a malformed apiVersion). */
export function groupOfApiVersion(apiVersion: unknown): string {
  return typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** The API group of an object ('' for the core group). */
export function apiGroupOf(object: Pick<K8sObject, 'apiVersion'>): string {
  return groupOfApiVersion(object.apiVersion);
}

const BUILTIN_GROUPS = new Map<string, Set<string>>();
for (const api of BUILTIN_APIS) {
  for (const kind of api.kinds) {
    const groups = BUILTIN_GROUPS.get(kind) ?? new Set<string>();
    groups.add(api.group);
    BUILTIN_GROUPS.set(kind, groups);
  }
}

/**
 * Whether an object is of `kind` as a rule means it. A built-in kind name (`Service`, `Ingress`) means the
 * Kubernetes API groups that serve it, never a custom resource that reuses the name; any other kind name
 * (`ServiceMonitor`, `ScaledObject`) matches whatever group defines it. `group` pins one group explicitly.
 */
export function isKind(object: Pick<K8sObject, 'apiVersion' | 'kind'>, kind: string, group?: string): boolean {
  if (object.kind !== kind) return false;
  const actual = apiGroupOf(object);
  if (group !== undefined) return actual === group;
  const builtin = BUILTIN_GROUPS.get(kind);
  return !builtin || builtin.has(actual);
}

/** The groups that serve a built-in kind, or undefined for a kind Kubernetes itself does not define. */
export function builtinGroupsOf(kind: string): ReadonlySet<string> | undefined {
  return BUILTIN_GROUPS.get(kind);
}

/** The key of an object in every index: group, kind, namespace, name. */
export function objectKey(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): string {
  return `${groupOfApiVersion(ref.apiVersion)}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

export function keyOfObject(object: K8sObject): string {
  return objectKey({ apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata?.namespace, name: object.metadata?.name ?? '' });
}

export function refOf(object: K8sObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata?.name ?? '' };
  if (object.metadata?.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}

/**
 * How an object is named to people, in every message, report and waiver: "Kind namespace/name", or "Kind name" when
 * cluster-scoped. A custom resource that reuses a built-in kind's name says its group ("Service.serving.knative.dev
 * shop/web"), so the two never read alike.
 */
export function describeRef(ref: Pick<ObjectRef, 'kind' | 'name' | 'namespace'> & { apiVersion?: string }): string {
  const group = ref.apiVersion === undefined ? '' : groupOfApiVersion(ref.apiVersion);
  const builtin = BUILTIN_GROUPS.get(ref.kind);
  const kind = builtin && !builtin.has(group) ? `${ref.kind}.${group}` : ref.kind;
  return ref.namespace ? `${kind} ${ref.namespace}/${ref.name}` : `${kind} ${ref.name}`;
}

/** describeRef of an object. */
export function describeObject(object: K8sObject): string {
  return describeRef(refOf(object));
}
