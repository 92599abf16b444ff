// What a chart sees in .Capabilities.APIVersions for a cluster: the built-in APIs its Kubernetes release serves by default
// and the CRDs rendered for that cluster, as "group/version" and "group/version/Kind".
import type { RenderedObject } from '../core/types.ts';
import { apiVersionOf, BUILTIN_APIS, kubernetesMinor } from '../schema/api-catalog.ts';

export function clusterApiVersions(kubernetesVersion: string, objects: RenderedObject[]): string[] {
  const minor = kubernetesMinor(kubernetesVersion);
  const out = new Set<string>();
  if (minor !== undefined) {
    for (const api of BUILTIN_APIS) {
      if (api.optIn || minor < api.since || (api.removed !== undefined && minor >= api.removed)) continue;
      const apiVersion = apiVersionOf(api);
      out.add(apiVersion);
      for (const kind of api.kinds) out.add(`${apiVersion}/${kind}`);
    }
  }
  for (const { object } of objects) {
    if (object.kind !== 'CustomResourceDefinition') continue;
    const spec = (object as any).spec ?? {};
    if (typeof spec.group !== 'string' || !Array.isArray(spec.versions)) continue;
    for (const version of spec.versions) {
      if (version?.served === false || typeof version?.name !== 'string') continue;
      out.add(`${spec.group}/${version.name}`);
      if (typeof spec.names?.kind === 'string') out.add(`${spec.group}/${version.name}/${spec.names.kind}`);
    }
  }
  return [...out].sort();
}

/** Scopes of rendered CRDs by "Kind.group", as ClusterGraph reads them. */
export function crdScopesOf(objects: RenderedObject[]): Map<string, string> {
  const scopes = new Map<string, string>();
  for (const { object } of objects) {
    if (object.kind !== 'CustomResourceDefinition') continue;
    const spec = (object as any).spec ?? {};
    scopes.set(`${spec.names?.kind}.${spec.group}`, spec.scope);
  }
  return scopes;
}
