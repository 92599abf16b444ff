// The built-in Kubernetes API: which group/version serves which kind, from which minor release until which.
// Source: the Kubernetes Deprecated API Migration Guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/)
// for removals and "available since" versions, and the release notes for APIs added after 1.16.
// Only alpha APIs are left out: they are never served by default and come and go without notice.

export interface BuiltinApi {
  /** API group; '' for the core group (apiVersion "v1"). */
  group: string;
  version: string;
  kinds: string[];
  /** First 1.x minor release that serves it. */
  since: number;
  /** First 1.x minor release that no longer serves it. */
  removed?: number;
  /** Beta API added after 1.24: not served unless the API server enables it (--runtime-config). */
  optIn?: boolean;
  /** What replaces a removed API that has no newer version of its own. */
  replacement?: string;
}

/** Minor releases this catalogue describes; outside them it may miss APIs. */
export const CATALOGUE_MINORS = { from: 16, to: 35 } as const;

const CORE_V1_KINDS = [
  'Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node',
  'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota',
  'Secret', 'Service', 'ServiceAccount',
];
const WEBHOOKS = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];
const REVIEWS = ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'];
const RBAC = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
const FLOW_CONTROL = ['FlowSchema', 'PriorityLevelConfiguration'];
const DRA = ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'];
const POD_SECURITY_ADMISSION = 'Pod Security admission replaces it: label the namespace pod-security.kubernetes.io/enforce';

export const BUILTIN_APIS: readonly BuiltinApi[] = [
  { group: '', version: 'v1', kinds: CORE_V1_KINDS, since: 0 },

  { group: 'admissionregistration.k8s.io', version: 'v1beta1', kinds: WEBHOOKS, since: 9, removed: 22 },
  { group: 'admissionregistration.k8s.io', version: 'v1', kinds: WEBHOOKS, since: 16 },
  { group: 'admissionregistration.k8s.io', version: 'v1beta1', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], since: 28, optIn: true },
  { group: 'admissionregistration.k8s.io', version: 'v1', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], since: 30 },
  { group: 'admissionregistration.k8s.io', version: 'v1beta1', kinds: ['MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding'], since: 34, optIn: true },

  { group: 'apiextensions.k8s.io', version: 'v1beta1', kinds: ['CustomResourceDefinition'], since: 7, removed: 22 },
  { group: 'apiextensions.k8s.io', version: 'v1', kinds: ['CustomResourceDefinition'], since: 16 },

  { group: 'apiregistration.k8s.io', version: 'v1beta1', kinds: ['APIService'], since: 7, removed: 22 },
  { group: 'apiregistration.k8s.io', version: 'v1', kinds: ['APIService'], since: 10 },

  { group: 'apps', version: 'v1beta1', kinds: ['ControllerRevision', 'Deployment', 'ReplicaSet', 'StatefulSet'], since: 5, removed: 16 },
  { group: 'apps', version: 'v1beta2', kinds: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'], since: 8, removed: 16 },
  { group: 'apps', version: 'v1', kinds: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'], since: 9 },

  { group: 'authentication.k8s.io', version: 'v1beta1', kinds: ['TokenReview'], since: 3, removed: 22 },
  { group: 'authentication.k8s.io', version: 'v1', kinds: ['TokenReview'], since: 6 },
  { group: 'authentication.k8s.io', version: 'v1', kinds: ['SelfSubjectReview'], since: 28 },

  { group: 'authorization.k8s.io', version: 'v1beta1', kinds: REVIEWS, since: 3, removed: 22 },
  { group: 'authorization.k8s.io', version: 'v1', kinds: REVIEWS, since: 6 },

  { group: 'autoscaling', version: 'v1', kinds: ['HorizontalPodAutoscaler'], since: 2 },
  { group: 'autoscaling', version: 'v2beta1', kinds: ['HorizontalPodAutoscaler'], since: 8, removed: 25 },
  { group: 'autoscaling', version: 'v2beta2', kinds: ['HorizontalPodAutoscaler'], since: 12, removed: 26 },
  { group: 'autoscaling', version: 'v2', kinds: ['HorizontalPodAutoscaler'], since: 23 },

  { group: 'batch', version: 'v1', kinds: ['Job'], since: 2 },
  { group: 'batch', version: 'v1beta1', kinds: ['CronJob'], since: 8, removed: 25 },
  { group: 'batch', version: 'v1', kinds: ['CronJob'], since: 21 },

  { group: 'certificates.k8s.io', version: 'v1beta1', kinds: ['CertificateSigningRequest'], since: 4, removed: 22 },
  { group: 'certificates.k8s.io', version: 'v1', kinds: ['CertificateSigningRequest'], since: 19 },
  { group: 'certificates.k8s.io', version: 'v1beta1', kinds: ['ClusterTrustBundle'], since: 33, optIn: true },

  { group: 'coordination.k8s.io', version: 'v1beta1', kinds: ['Lease'], since: 12, removed: 22 },
  { group: 'coordination.k8s.io', version: 'v1', kinds: ['Lease'], since: 14 },
  { group: 'coordination.k8s.io', version: 'v1beta1', kinds: ['LeaseCandidate'], since: 33, optIn: true },

  { group: 'discovery.k8s.io', version: 'v1beta1', kinds: ['EndpointSlice'], since: 17, removed: 25 },
  { group: 'discovery.k8s.io', version: 'v1', kinds: ['EndpointSlice'], since: 21 },

  { group: 'events.k8s.io', version: 'v1beta1', kinds: ['Event'], since: 8, removed: 25 },
  { group: 'events.k8s.io', version: 'v1', kinds: ['Event'], since: 19 },

  { group: 'extensions', version: 'v1beta1', kinds: ['DaemonSet', 'Deployment', 'NetworkPolicy', 'ReplicaSet'], since: 1, removed: 16 },
  { group: 'extensions', version: 'v1beta1', kinds: ['PodSecurityPolicy'], since: 1, removed: 16, replacement: POD_SECURITY_ADMISSION },
  { group: 'extensions', version: 'v1beta1', kinds: ['Ingress'], since: 1, removed: 22 },

  { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta1', kinds: FLOW_CONTROL, since: 20, removed: 26 },
  { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta2', kinds: FLOW_CONTROL, since: 23, removed: 29 },
  { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', kinds: FLOW_CONTROL, since: 26, removed: 32 },
  { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', kinds: FLOW_CONTROL, since: 29 },

  { group: 'networking.k8s.io', version: 'v1', kinds: ['NetworkPolicy'], since: 7 },
  { group: 'networking.k8s.io', version: 'v1beta1', kinds: ['Ingress'], since: 14, removed: 22 },
  { group: 'networking.k8s.io', version: 'v1beta1', kinds: ['IngressClass'], since: 18, removed: 22 },
  { group: 'networking.k8s.io', version: 'v1', kinds: ['Ingress', 'IngressClass'], since: 19 },
  { group: 'networking.k8s.io', version: 'v1beta1', kinds: ['IPAddress', 'ServiceCIDR'], since: 31, optIn: true },
  { group: 'networking.k8s.io', version: 'v1', kinds: ['IPAddress', 'ServiceCIDR'], since: 33 },

  { group: 'node.k8s.io', version: 'v1beta1', kinds: ['RuntimeClass'], since: 14, removed: 25 },
  { group: 'node.k8s.io', version: 'v1', kinds: ['RuntimeClass'], since: 20 },

  { group: 'policy', version: 'v1beta1', kinds: ['PodDisruptionBudget'], since: 5, removed: 25 },
  { group: 'policy', version: 'v1beta1', kinds: ['PodSecurityPolicy'], since: 10, removed: 25, replacement: POD_SECURITY_ADMISSION },
  { group: 'policy', version: 'v1', kinds: ['PodDisruptionBudget'], since: 21 },

  { group: 'rbac.authorization.k8s.io', version: 'v1beta1', kinds: RBAC, since: 6, removed: 22 },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kinds: RBAC, since: 8 },

  { group: 'resource.k8s.io', version: 'v1beta1', kinds: DRA, since: 32, optIn: true },
  { group: 'resource.k8s.io', version: 'v1beta2', kinds: DRA, since: 33, optIn: true },
  { group: 'resource.k8s.io', version: 'v1', kinds: DRA, since: 34 },

  { group: 'scheduling.k8s.io', version: 'v1beta1', kinds: ['PriorityClass'], since: 11, removed: 22 },
  { group: 'scheduling.k8s.io', version: 'v1', kinds: ['PriorityClass'], since: 14 },

  { group: 'storage.k8s.io', version: 'v1beta1', kinds: ['StorageClass'], since: 4, removed: 22 },
  { group: 'storage.k8s.io', version: 'v1beta1', kinds: ['VolumeAttachment'], since: 10, removed: 22 },
  { group: 'storage.k8s.io', version: 'v1beta1', kinds: ['CSIDriver', 'CSINode'], since: 14, removed: 22 },
  { group: 'storage.k8s.io', version: 'v1beta1', kinds: ['CSIStorageCapacity'], since: 21, removed: 27 },
  { group: 'storage.k8s.io', version: 'v1beta1', kinds: ['VolumeAttributesClass'], since: 31, optIn: true },
  { group: 'storage.k8s.io', version: 'v1', kinds: ['StorageClass'], since: 6 },
  { group: 'storage.k8s.io', version: 'v1', kinds: ['VolumeAttachment'], since: 13 },
  { group: 'storage.k8s.io', version: 'v1', kinds: ['CSINode'], since: 17 },
  { group: 'storage.k8s.io', version: 'v1', kinds: ['CSIDriver'], since: 19 },
  { group: 'storage.k8s.io', version: 'v1', kinds: ['CSIStorageCapacity'], since: 24 },
  { group: 'storage.k8s.io', version: 'v1', kinds: ['VolumeAttributesClass'], since: 34 },
];

/** Splits an apiVersion into group and version: "apps/v1" -> apps, v1; "v1" -> core. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOf(api: Pick<BuiltinApi, 'group' | 'version'>): string {
  return api.group ? `${api.group}/${api.version}` : api.version;
}

/** The minor of a Kubernetes version string ("1.33", "v1.33.2"), or undefined when it is not a 1.x version. */
export function kubernetesMinor(version: string): number | undefined {
  const match = /^v?1\.(\d+)(\.\d+)?([-+].*)?$/.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

export type BuiltinStatus =
  | { status: 'served'; api: BuiltinApi }
  | { status: 'opt-in'; api: BuiltinApi }
  | { status: 'removed'; api: BuiltinApi; removed: number }
  | { status: 'not-yet-served'; api: BuiltinApi; since: number }
  /** The group/version is built in but has no such kind. */
  | { status: 'unknown-kind'; kinds: string[] }
  | { status: 'unknown' };

/** What the API server of release 1.<minor> does with this apiVersion and kind. */
export function builtinStatus(apiVersion: string, kind: string, minor: number): BuiltinStatus {
  const { group, version } = splitApiVersion(apiVersion);
  const sameVersion = BUILTIN_APIS.filter((api) => api.group === group && api.version === version);
  const api = sameVersion.find((candidate) => candidate.kinds.includes(kind));
  if (!api) {
    if (sameVersion.length === 0) return { status: 'unknown' };
    const kinds = sameVersion.filter((candidate) => servedAt(candidate, minor)).flatMap((candidate) => candidate.kinds);
    return { status: 'unknown-kind', kinds: [...new Set(kinds)].sort() };
  }
  if (minor < api.since) return { status: 'not-yet-served', api, since: api.since };
  if (api.removed !== undefined && minor >= api.removed) return { status: 'removed', api, removed: api.removed };
  return api.optIn ? { status: 'opt-in', api } : { status: 'served', api };
}

function servedAt(api: BuiltinApi, minor: number): boolean {
  return minor >= api.since && (api.removed === undefined || minor < api.removed);
}

/**
 * The apiVersions that serve a kind by default at release 1.<minor>: the migration target for a removed or not yet served
 * API. Versions of the same group come first (policy/v1beta1 -> policy/v1); other groups only when the group itself has
 * none (extensions/v1beta1 Ingress -> networking.k8s.io/v1). Versions of the same major as `nearVersion` come first, as
 * their schema is the closest (autoscaling/v2 -> v2beta2 before v1), then the most stable.
 */
export function servedApiVersionsFor(kind: string, minor: number, preferGroup?: string, nearVersion?: string): string[] {
  const served = BUILTIN_APIS.filter((api) => api.kinds.includes(kind) && servedAt(api, minor) && !api.optIn);
  const sameGroup = served.filter((api) => api.group === preferGroup);
  const chosen = sameGroup.length > 0 ? sameGroup : served;
  const near = nearVersion === undefined ? undefined : majorOf(nearVersion);
  const rank = (api: BuiltinApi) => (near !== undefined && majorOf(api.version) === near ? 10_000_000 : 0) + stability(api.version);
  return chosen.sort((a, b) => rank(b) - rank(a)).map(apiVersionOf);
}

function majorOf(version: string): number | undefined {
  const match = /^v(\d+)/.exec(version);
  return match ? Number(match[1]) : undefined;
}

/** Orders versions the way Kubernetes prefers them: v2 > v1 > v1beta2 > v1beta1 > v1alpha1. */
function stability(version: string): number {
  const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!match) return 0;
  const [, major, track, level] = match;
  const trackWeight = track === undefined ? 3 : track === 'beta' ? 2 : 1;
  return trackWeight * 1_000_000 + Number(major) * 1000 + Number(level ?? 0);
}
