// Facts about workloads that several rules share: which run forever, how far they scale.
import type { ClusterGraph, ContainerEntry, PodTemplate } from '../core/graph.ts';
import { containersOf } from '../core/graph.ts';
import type { FieldPath, K8sObject } from '../core/types.ts';

const BATCH_KINDS = new Set(['Job', 'CronJob']);

/** Pods that are meant to keep running: not Jobs or CronJobs, not bare Pods with restartPolicy Never/OnFailure, not PodTemplates. */
export function isLongRunning(template: PodTemplate): boolean {
  if (BATCH_KINDS.has(template.owner.kind) || template.owner.kind === 'PodTemplate') return false;
  const restartPolicy = template.spec.restartPolicy ?? 'Always';
  return restartPolicy === 'Always';
}

/** Regular containers plus native sidecars (init containers with restartPolicy: Always), which run as long as the pod. */
export function longRunningContainers(template: PodTemplate): ContainerEntry[] {
  return containersOf(template).filter(
    (entry) => entry.kind === 'containers' || (entry.kind === 'initContainers' && entry.container.restartPolicy === 'Always'),
  );
}

export interface ReplicaCeiling {
  replicas: number;
  /** Where the number comes from, for messages: `spec.replicas` or `HPA shop/web maxReplicas`. */
  source: string;
  object: K8sObject;
  path: FieldPath;
}

/** The most pods a Deployment-like workload can run at once: an HPA's maxReplicas when one targets it, else spec.replicas (default 1). */
export function replicaCeiling(graph: ClusterGraph, template: PodTemplate): ReplicaCeiling {
  const owner = template.owner;
  for (const hpa of graph.byKind('HorizontalPodAutoscaler', template.namespace)) {
    const spec = (hpa as any).spec ?? {};
    if (spec.scaleTargetRef?.kind === owner.kind && spec.scaleTargetRef?.name === owner.metadata.name && typeof spec.maxReplicas === 'number') {
      return { replicas: spec.maxReplicas, source: `HorizontalPodAutoscaler ${template.namespace}/${hpa.metadata.name} maxReplicas`, object: hpa, path: ['spec', 'maxReplicas'] };
    }
  }
  return { replicas: template.replicas ?? 1, source: 'spec.replicas', object: owner, path: ['spec', 'replicas'] };
}

