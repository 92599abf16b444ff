// Which served APIs are deprecated at a release: built-in ones with a scheduled removal (api-catalog.ts), and custom
// resource versions their rendered CustomResourceDefinition marks `deprecated: true`.
import type { K8sObject } from '../core/types.ts';
import { builtinStatus, servedApiVersionsFor, splitApiVersion } from './api-catalog.ts';

export type Deprecation =
  | { source: 'builtin'; removedIn: number; replacements: string[] }
  | { source: 'crd'; crd: K8sObject; warning?: string; replacements: string[] };

export function builtinDeprecation(apiVersion: string, kind: string, minor: number): Deprecation | undefined {
  const status = builtinStatus(apiVersion, kind, minor);
  if ((status.status !== 'served' && status.status !== 'opt-in') || status.api.removed === undefined) return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  // what the release that removes it still serves is where to move
  const replacements = servedApiVersionsFor(kind, status.api.removed, group, version).filter((v) => v !== apiVersion);
  return { source: 'builtin', removedIn: status.api.removed, replacements };
}

export function crdDeprecation(apiVersion: string, kind: string, crds: K8sObject[]): Deprecation | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  for (const crd of crds) {
    const spec = (crd as any).spec;
    if (spec?.group !== group || spec?.names?.kind !== kind || !Array.isArray(spec.versions)) continue;
    const entry = spec.versions.find((v: any) => v?.name === version);
    if (!entry?.deprecated) return undefined;
    const replacements = spec.versions.filter((v: any) => v?.served && !v.deprecated && v.name !== version).map((v: any) => `${group}/${v.name}`);
    return { source: 'crd', crd, warning: typeof entry.deprecationWarning === 'string' ? entry.deprecationWarning : undefined, replacements };
  }
  return undefined;
}
