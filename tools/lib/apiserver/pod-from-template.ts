// Admission (PodSecurity, LimitRanger, ResourceQuota, ServiceAccount) acts on Pods, not on the workloads that hold
// their templates: one Pod per pod template, as the workload's controller would create it.
import type { K8sObject } from '../core/types.ts';
import { getPath, podTemplatePathsOf, type WorkloadKind } from '../core/graph.ts';

const isMap = (value: unknown): value is Record<string, any> => !!value && typeof value === 'object' && !Array.isArray(value);

/**
 * The Pod a workload's controller would create from its template, in the workload's namespace, named after the
 * workload (the controllers add a suffix; a dry run never stores it, so two workloads of one name do not collide).
 * Undefined for an object without a pod template, and for a Pod, which is admitted as itself.
 */
export function podFromTemplate(object: K8sObject, namespace: string, workloadKinds: readonly WorkloadKind[] = []): K8sObject | undefined {
  if (object.kind === 'Pod' && (object.apiVersion === 'v1' || object.apiVersion === undefined)) return undefined;
  const paths = podTemplatePathsOf(object, workloadKinds);
  if (!paths) return undefined;
  const spec = getPath(object, paths.spec);
  if (!isMap(spec)) return undefined;
  const template = getPath(object, paths.metadata);
  const metadata: Record<string, unknown> = { name: object.metadata.name, namespace };
  if (isMap(template) && isMap(template.labels)) metadata.labels = template.labels;
  if (isMap(template) && isMap(template.annotations)) metadata.annotations = template.annotations;
  const podSpec = structuredClone(spec);
  if (object.kind === 'StatefulSet') addClaimVolumes(podSpec, object);
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec } as K8sObject;
}

/** The StatefulSet controller's part: a volume per volumeClaimTemplate, bound to pod 0's claim, replacing one of that name. */
function addClaimVolumes(podSpec: Record<string, any>, statefulSet: K8sObject): void {
  const claims: unknown = (statefulSet as any).spec?.volumeClaimTemplates;
  if (!Array.isArray(claims)) return;
  const volumes: any[] = Array.isArray(podSpec.volumes) ? podSpec.volumes : [];
  for (const claim of claims) {
    const name = isMap(claim) && isMap(claim.metadata) ? claim.metadata.name : undefined;
    if (typeof name !== 'string') continue;
    const volume = { name, persistentVolumeClaim: { claimName: `${name}-${statefulSet.metadata.name}-0` } };
    const existing = volumes.findIndex((v) => isMap(v) && v.name === name);
    if (existing >= 0) volumes[existing] = volume;
    else volumes.push(volume);
  }
  podSpec.volumes = volumes;
}
