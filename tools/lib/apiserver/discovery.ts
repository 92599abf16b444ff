// Which resources the server serves: apiVersion + kind -> the REST resource and whether it is namespaced.
import type { ApiClient } from './client.ts';

export interface Resource {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export type ResourceMap = Map<string, Resource>;

export const resourceKey = (apiVersion: string, kind: string) => `${apiVersion}|${kind}`;

async function resourcesOf(client: ApiClient, groupVersion: string, into: ResourceMap): Promise<void> {
  const path = groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
  const response = await client.request('GET', path);
  if (response.status !== 200) return;
  const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
  for (const resource of response.body.resources ?? []) {
    if (typeof resource.name !== 'string' || resource.name.includes('/')) continue; // subresources
    into.set(resourceKey(groupVersion, resource.kind), { group, version, plural: resource.name, namespaced: resource.namespaced === true });
  }
}

export async function discoverResources(client: ApiClient): Promise<ResourceMap> {
  const map: ResourceMap = new Map();
  await resourcesOf(client, 'v1', map);
  const groups = await client.request('GET', '/apis');
  const versions: string[] = [];
  for (const group of groups.body?.groups ?? []) for (const v of group.versions ?? []) versions.push(v.groupVersion);
  await Promise.all(versions.map((gv) => resourcesOf(client, gv, map)));
  return map;
}

/** The collection path of a resource: /api/v1/namespaces/ns/pods, /apis/apps/v1/deployments. */
export function collectionPath(resource: Resource, namespace: string | undefined): string {
  const base = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  return resource.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace ?? 'default')}/${resource.plural}` : `${base}/${resource.plural}`;
}
