// One rendered cluster against a fresh kube-apiserver: CRDs, then the namespaces and the objects admission reads
// (ServiceAccounts, LimitRanges, ResourceQuotas) for real, then every other object as a server-side apply dry run
// with strict field validation, then one Pod per pod template as a dry-run create.
import { pool } from '../core/pool.ts';
import type { K8sObject } from '../core/types.ts';
import type { WorkloadKind } from '../core/graph.ts';
import type { CrdBundle } from '../schema/crd-catalog.ts';
import type { ApiClient, ApiResponse } from './client.ts';
import { collectionPath, discoverResources, resourceKey, type ResourceMap } from './discovery.ts';
import { crdsToInstall } from './crds.ts';
import { podFromTemplate } from './pod-from-template.ts';

export const FIELD_MANAGER = 'verify-apiserver';

export interface Verdict {
  /** "Deployment a4co/auth-service", or for a pod "Pod a4co/auth-service (template of Deployment a4co/auth-service)". */
  subject: string;
  accepted: boolean;
  /** The server's message when it refused. */
  message?: string;
  warnings: string[];
}

export interface ClusterVerification {
  cluster: string;
  objects: Verdict[];
  pods: Verdict[];
  /** CRDs installed from schemas/crds (the rendered ones are among the objects). */
  bundledCrds: number;
  /** Namespaces nothing renders but the reconciler's own install creates (flux-system, argocd). */
  providedNamespaces: string[];
}

/** The namespace a reconciler's own install creates before it applies anything of the repository. */
export function installNamespaces(engines: string[]): string[] {
  const out: string[] = [];
  if (engines.includes('flux')) out.push('flux-system');
  if (engines.includes('argocd')) out.push('argocd');
  return out;
}

/** Kubernetes' own resource quantities of zero for every resource a quota's spec.hard names. */
export function initialQuotaStatus(quota: K8sObject): { hard: Record<string, unknown>; used: Record<string, string> } {
  const hard = ((quota as any).spec?.hard ?? {}) as Record<string, unknown>;
  return { hard, used: Object.fromEntries(Object.keys(hard).map((name) => [name, '0'])) };
}

const describe = (object: K8sObject, namespace: string | undefined) =>
  `${object.kind} ${namespace ? `${namespace}/` : ''}${object.metadata?.name ?? '(no name)'}`;

function verdictOf(subject: string, response: ApiResponse): Verdict {
  if (response.status >= 200 && response.status < 300) return { subject, accepted: true, warnings: response.warnings };
  const message = typeof response.body === 'object' && response.body?.message ? String(response.body.message) : `HTTP ${response.status}: ${String(response.body).slice(0, 300)}`;
  return { subject, accepted: false, message, warnings: response.warnings };
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Session {
  resources: ResourceMap = new Map();
  constructor(readonly client: ApiClient) {}

  async refresh(): Promise<void> {
    this.resources = await discoverResources(this.client);
  }

  namespaceOf(object: K8sObject): string | undefined {
    const resource = this.resources.get(resourceKey(object.apiVersion, object.kind));
    if (!resource?.namespaced) return undefined;
    return typeof object.metadata?.namespace === 'string' && object.metadata.namespace ? object.metadata.namespace : 'default';
  }

  /** Server-side apply, as Flux applies; `dryRun` leaves nothing behind. */
  async apply(object: K8sObject, dryRun: boolean): Promise<Verdict> {
    const namespace = this.namespaceOf(object);
    const subject = describe(object, namespace);
    const resource = this.resources.get(resourceKey(object.apiVersion, object.kind));
    if (!resource) {
      return { subject, accepted: false, message: `no matches for kind "${object.kind}" in version "${object.apiVersion}": the server serves no such API (is its CRD installed?)`, warnings: [] };
    }
    const name = object.metadata?.name;
    if (typeof name !== 'string' || name === '') return { subject, accepted: false, message: 'metadata.name is required for apply', warnings: [] };
    const body = namespace ? { ...object, metadata: { ...object.metadata, namespace } } : object;
    const query = `fieldManager=${FIELD_MANAGER}&fieldValidation=Strict&force=true${dryRun ? '&dryRun=All' : ''}`;
    const response = await this.client.request('PATCH', `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}?${query}`, body, 'application/apply-patch+yaml');
    return verdictOf(subject, response);
  }

  async createPodDryRun(pod: K8sObject, owner: string): Promise<Verdict> {
    const namespace = pod.metadata.namespace!;
    const response = await this.client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?dryRun=All&fieldValidation=Strict&fieldManager=${FIELD_MANAGER}`, pod);
    return verdictOf(`Pod ${namespace}/${pod.metadata.name} (template of ${owner})`, response);
  }

  /** Until the CRD is Established and its kind is in discovery; the CRD's own conditions name what went wrong. */
  async waitForCrd(crd: K8sObject): Promise<string | undefined> {
    const spec = (crd as any).spec;
    const keys = (spec.versions as any[]).filter((v) => v.served).map((v) => resourceKey(`${spec.group}/${v.name}`, spec.names.kind));
    const deadline = Date.now() + 30_000;
    let conditions: any[] = [];
    while (Date.now() < deadline) {
      const response = await this.client.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(String(crd.metadata.name))}`);
      conditions = response.body?.status?.conditions ?? [];
      const established = conditions.some((c) => c.type === 'Established' && c.status === 'True');
      const refused = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
      if (refused) return `CRD ${crd.metadata.name}: ${refused.message}`;
      if (established) {
        await this.refresh();
        if (keys.every((key) => this.resources.has(key))) return undefined;
      }
      await delay(200);
    }
    return `CRD ${crd.metadata.name} was not established in 30 s (conditions: ${JSON.stringify(conditions)})`;
  }
}

/** Kinds that admission reads from the store, so they are created for real before the rest is judged. */
const ADMISSION_READS = new Set(['v1|ServiceAccount', 'v1|LimitRange', 'v1|ResourceQuota']);

export interface ClusterInput {
  cluster: string;
  objects: K8sObject[];
  engines: string[];
  bundles: CrdBundle[];
  workloadKinds?: readonly WorkloadKind[];
}

export async function verifyCluster(client: ApiClient, input: ClusterInput): Promise<ClusterVerification> {
  const session = new Session(client);
  await session.refresh();
  const verdicts = new Map<K8sObject, Verdict>();

  const crds = crdsToInstall(input.objects, input.bundles, input.objects);
  let bundledCrds = 0;
  for (const { object, from } of crds) {
    const verdict = await session.apply(object, false);
    if (from === 'rendered') verdicts.set(object, verdict);
    else if (!verdict.accepted) throw new Error(`installing CRD ${object.metadata.name} from ${from} failed: ${verdict.message}`);
    else bundledCrds++;
  }
  for (const { object } of crds) {
    const problem = (verdicts.get(object)?.accepted ?? true) ? await session.waitForCrd(object) : undefined;
    if (problem) throw new Error(problem);
  }

  const rendered = new Set(input.objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Namespace').map((o) => o.metadata.name));
  const providedNamespaces = installNamespaces(input.engines).filter((name) => !rendered.has(name));
  for (const name of providedNamespaces) {
    const verdict = await session.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, false);
    if (!verdict.accepted) throw new Error(`creating namespace ${name}: ${verdict.message}`);
  }
  for (const object of input.objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Namespace')) {
    verdicts.set(object, await session.apply(object, false));
  }
  // the service-account controller's part: every namespace has a "default" ServiceAccount
  const namespaces = await client.request('GET', '/api/v1/namespaces');
  for (const item of namespaces.body?.items ?? []) {
    await session.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: item.metadata.name } }, false);
  }
  for (const object of input.objects.filter((o) => ADMISSION_READS.has(resourceKey(o.apiVersion, o.kind)))) {
    const verdict = await session.apply(object, false);
    verdicts.set(object, verdict);
    if (verdict.accepted && object.kind === 'ResourceQuota') {
      // the quota controller's part: without a status, quota admission refuses every pod ("status unknown for quota")
      const namespace = session.namespaceOf(object)!;
      const url = `/api/v1/namespaces/${encodeURIComponent(namespace)}/resourcequotas/${encodeURIComponent(String(object.metadata.name))}`;
      const current = await client.request('GET', url);
      const status = await client.request('PUT', `${url}/status`, { ...current.body, status: initialQuotaStatus(object) });
      if (status.status >= 300) throw new Error(`setting the status of ResourceQuota ${namespace}/${object.metadata.name}: ${status.body?.message ?? status.status}`);
    }
  }

  const rest = input.objects.filter((o) => !verdicts.has(o));
  const dryRuns = await pool(rest, 4, (object) => session.apply(object, true));
  rest.forEach((object, index) => verdicts.set(object, dryRuns[index]));

  const pods: { pod: K8sObject; owner: string }[] = [];
  for (const object of input.objects) {
    const namespace = session.namespaceOf(object);
    if (!namespace) continue;
    const pod = podFromTemplate(object, namespace, input.workloadKinds);
    if (pod) pods.push({ pod, owner: describe(object, namespace) });
  }
  const podVerdicts = await pool(pods, 4, ({ pod, owner }) => session.createPodDryRun(pod, owner));

  return {
    cluster: input.cluster,
    objects: input.objects.map((o) => verdicts.get(o)!),
    pods: podVerdicts,
    bundledCrds,
    providedNamespaces,
  };
}
