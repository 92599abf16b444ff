// One indexed, read-only view of everything a cluster receives. Built once per cluster, shared by all rules.
import type { FieldPath, K8sObject, RenderedObject } from './types.ts';
import { apiGroupOf, builtinGroupsOf, isKind, keyOfObject, objectKey } from './identity.ts';
import { LabelIndex } from './label-index.ts';

export { apiGroupOf } from './identity.ts';

export type PodSpec = Record<string, any>;
export type Container = Record<string, any>;

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerEntry {
  container: Container;
  kind: ContainerKind;
  /** Path of the container inside its owner object. */
  path: FieldPath;
}

export interface PodTemplate {
  /** The workload (or Pod) that holds the template. */
  owner: K8sObject;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: PodSpec;
  /** Path of the pod spec inside the owner, e.g. ['spec','template','spec']. */
  specPath: FieldPath;
  /** Path of the pod metadata inside the owner, e.g. ['spec','template','metadata']. */
  metadataPath: FieldPath;
  /** Replicas declared on the owner (1 for Pods, Jobs use parallelism; undefined for DaemonSets). */
  replicas?: number;
}

const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'IngressClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'RuntimeClass', 'CSIDriver',
  'CSINode', 'VolumeAttachment', 'VolumeSnapshotClass', 'ClusterIssuer', 'ClusterSecretStore',
  'ClusterExternalSecret', 'ClusterPolicy', 'GatewayClass', 'FlowSchema', 'PriorityLevelConfiguration',
  'CertificateSigningRequest', 'PodSecurityPolicy', 'ServiceCIDR', 'IPAddress', 'DeviceClass', 'ResourceSlice',
  'VolumeAttributesClass', 'ClusterTrustBundle', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'ComponentStatus', 'ClusterAnalysisTemplate', 'SelfSubjectReview', 'TokenReview', 'SubjectAccessReview',
  'SelfSubjectAccessReview', 'SelfSubjectRulesReview',
]);

/** The scope (Namespaced | Cluster) of each custom resource kind the objects' CRDs define, keyed `Kind.group`. */
export function crdScopesOf(objects: readonly { object: K8sObject }[]): Map<string, string> {
  const scopes = new Map<string, string>();
  for (const { object } of objects) {
    if (object.kind !== 'CustomResourceDefinition') continue;
    const spec = (object as any).spec ?? {};
    scopes.set(`${spec.names?.kind}.${spec.group}`, spec.scope);
  }
  return scopes;
}

export function isClusterScoped(object: K8sObject, crdScopes?: Map<string, string>): boolean {
  if (CLUSTER_SCOPED.has(object.kind)) return true;
  const group = apiGroupOf(object);
  return crdScopes?.get(`${object.kind}.${group}`) === 'Cluster';
}

/** Where the pod template sits in each workload kind. Argo Rollouts and other CRDs with spec.template share Deployment's shape. */
const TEMPLATE_PATHS: Record<string, { spec: FieldPath; metadata: FieldPath }> = {
  Pod: { spec: ['spec'], metadata: ['metadata'] },
  Deployment: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  StatefulSet: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  DaemonSet: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  ReplicaSet: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  ReplicationController: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  Job: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  CronJob: {
    spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    metadata: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
  },
  PodTemplate: { spec: ['template', 'spec'], metadata: ['template', 'metadata'] },
  Rollout: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  DeploymentConfig: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  // Knative's Service and Configuration (serving.knative.dev), not the core Service
  Service: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  Configuration: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
};

const WORKLOAD_API_GROUPS: Record<string, string[]> = {
  Pod: ['v1'], PodTemplate: ['v1'], ReplicationController: ['v1'],
  Deployment: ['apps'], StatefulSet: ['apps'], DaemonSet: ['apps'], ReplicaSet: ['apps'],
  Job: ['batch'], CronJob: ['batch'], Rollout: ['argoproj.io'], DeploymentConfig: ['apps.openshift.io'],
  Service: ['serving.knative.dev'], Configuration: ['serving.knative.dev'],
};

/** A custom workload kind declared in policies/config.yaml (workloadKinds): where its pod template sits. */
export interface WorkloadKind {
  group: string;
  kind: string;
  /** Path of the pod template (the object holding metadata and spec), e.g. ['spec', 'template']. */
  podTemplatePath: FieldPath;
}

export function getPath(value: unknown, path: FieldPath): unknown {
  let current: any = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = current[segment as any];
  }
  return current;
}

/** Where a workload keeps its pod spec and pod metadata (built-in kinds, plus config `workloadKinds`); undefined for other objects. */
export function podTemplatePathsOf(object: K8sObject, custom: readonly WorkloadKind[] = []): { spec: FieldPath; metadata: FieldPath } | undefined {
  const group = apiGroupOf(object);
  const declared = custom.find((w) => w.kind === object.kind && w.group === group);
  if (declared) return { spec: [...declared.podTemplatePath, 'spec'], metadata: [...declared.podTemplatePath, 'metadata'] };
  return WORKLOAD_API_GROUPS[object.kind]?.includes(group || 'v1') ? TEMPLATE_PATHS[object.kind] : undefined;
}

const isMap = (value: unknown): value is Record<string, any> => !!value && typeof value === 'object' && !Array.isArray(value);

/** The object's namespace when it is a string (a malformed object handed to the graph anyway has none). */
function namespaceOf(object: K8sObject): string | undefined {
  const namespace: unknown = object.metadata?.namespace;
  return typeof namespace === 'string' ? namespace : undefined;
}

function podTemplateOf(object: K8sObject, namespace: string, custom: readonly WorkloadKind[]): PodTemplate | undefined {
  const paths = podTemplatePathsOf(object, custom);
  if (!paths) return undefined;
  const spec = getPath(object, paths.spec);
  if (!isMap(spec)) return undefined;
  const metadata = getPath(object, paths.metadata);
  const meta: Record<string, any> = isMap(metadata) ? metadata : {};
  let replicas: number | undefined;
  const spec0: Record<string, any> = isMap((object as any).spec) ? (object as any).spec : {};
  if (object.kind === 'Pod') replicas = 1;
  else if (object.kind === 'Job') replicas = typeof spec0.parallelism === 'number' ? spec0.parallelism : 1;
  else if (object.kind === 'CronJob') {
    const p = getPath(spec0, ['jobTemplate', 'spec', 'parallelism']);
    replicas = typeof p === 'number' ? p : 1;
  } else if (object.kind !== 'DaemonSet' && object.kind !== 'PodTemplate') {
    replicas = typeof spec0.replicas === 'number' ? spec0.replicas : 1;
  }
  return {
    owner: object,
    namespace,
    labels: (isMap(meta.labels) ? meta.labels : {}) as Record<string, string>,
    annotations: (isMap(meta.annotations) ? meta.annotations : {}) as Record<string, string>,
    spec: spec as PodSpec,
    specPath: paths.spec,
    metadataPath: paths.metadata,
    replicas,
  };
}

/** Every container of a pod spec in admission's order (init, regular, ephemeral); paths are prefixed with `specPath`. */
export function containerEntries(spec: PodSpec, specPath: FieldPath = []): ContainerEntry[] {
  const entries: ContainerEntry[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const list = spec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((container, index) => {
      if (container && typeof container === 'object') {
        entries.push({ container, kind, path: [...specPath, kind, index] });
      }
    });
  }
  return entries;
}

export function containersOf(template: PodTemplate): ContainerEntry[] {
  return containerEntries(template.spec, template.specPath);
}

export class ClusterGraph {
  readonly cluster: string;
  readonly objects: readonly RenderedObject[];
  readonly podTemplates: readonly PodTemplate[];
  private readonly byKey = new Map<string, K8sObject>();
  private readonly byKindIndex = new Map<string, K8sObject[]>();
  private readonly rendered = new Map<K8sObject, RenderedObject>();

  constructor(cluster: string, objects: RenderedObject[], workloadKinds: readonly WorkloadKind[] = []) {
    this.cluster = cluster;
    this.objects = objects;
    const templates: PodTemplate[] = [];
    for (const entry of objects) {
      const object = entry.object;
      this.rendered.set(object, entry);
      this.byKey.set(keyOfObject(object), object);
      const list = this.byKindIndex.get(object.kind) ?? [];
      list.push(object);
      this.byKindIndex.set(object.kind, list);
      const template = podTemplateOf(object, namespaceOf(object) ?? 'default', workloadKinds);
      if (template) templates.push(template);
    }
    this.podTemplates = templates;
  }

  all(): K8sObject[] {
    return this.objects.map((o) => o.object);
  }

  /** Objects of a kind (a built-in kind name means its Kubernetes API groups only; see isKind), optionally in one namespace. */
  byKind(kind: string, namespace?: string, group?: string): K8sObject[] {
    const list = (this.byKindIndex.get(kind) ?? []).filter((o) => isKind(o, kind, group));
    return namespace === undefined ? list : list.filter((o) => (namespaceOf(o) ?? 'default') === namespace);
  }

  /** One object by kind, namespace and name; the group defaults as in byKind. */
  get(kind: string, namespace: string | undefined, name: string, group?: string): K8sObject | undefined {
    const groups = group !== undefined ? [group] : [...(builtinGroupsOf(kind) ?? [])];
    if (groups.length > 0) {
      for (const g of groups) {
        const found = this.byKey.get(objectKey({ apiVersion: g ? `${g}/v` : 'v1', kind, namespace, name }));
        if (found) return found;
      }
      return undefined;
    }
    return this.byKind(kind, namespace).find((o) => o.metadata?.name === name);
  }

  /** The object a reference names (group-aware). */
  resolve(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): K8sObject | undefined {
    return this.byKey.get(objectKey(ref));
  }

  renderedOf(object: K8sObject): RenderedObject | undefined {
    return this.rendered.get(object);
  }

  /** Namespaces that hold at least one pod template. */
  namespacesWithPods(): string[] {
    return [...new Set(this.podTemplates.map((t) => t.namespace))].sort();
  }

  /** Labels of a namespace as admission sees them: the rendered Namespace's labels plus kubernetes.io/metadata.name. */
  namespaceLabels(namespace: string): Record<string, string> {
    const ns = this.get('Namespace', undefined, namespace);
    const labels = ns?.metadata?.labels;
    return { ...(isMap(labels) ? labels : {}), 'kubernetes.io/metadata.name': namespace };
  }

  /** The pod templates a Service routes to (none for a Service without selector). */
  podsBehind(service: K8sObject): PodTemplate[] {
    return this.podsSelectedBy(namespaceOf(service) ?? 'default', getPath(service, ['spec', 'selector']) as Record<string, string> | undefined);
  }

  /** Pod templates whose labels match a Service-style equality selector, in the given namespace. */
  podsSelectedBy(namespace: string, selector: Record<string, string> | undefined): PodTemplate[] {
    if (!selector || typeof selector !== 'object') return [];
    return this.podIndex().matchingEquality(namespace, selector);
  }

  private pods?: LabelIndex<PodTemplate>;

  /** The pod templates by namespace and label, built on first use and shared by every rule. */
  podIndex(): LabelIndex<PodTemplate> {
    this.pods ??= new LabelIndex(this.podTemplates, (t) => t.namespace, (t) => t.labels ?? {});
    return this.pods;
  }

  /** Work counters, so tests can pin that lookups stay proportional to what they return. */
  get work(): { selectorCandidates: number } {
    return { selectorCandidates: this.pods?.examined ?? 0 };
  }
}
