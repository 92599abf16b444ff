import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import type { FieldPath, K8sObject } from '../tools/lib/core/types.ts';
import { capabilitiesOf, type ClusterCapabilities } from '../tools/lib/references/cluster-provides.ts';
import { didYouMean } from '../tools/lib/references/did-you-mean.ts';

interface Claim {
  owner: K8sObject;
  /** Path of the claim's spec inside the owner. */
  specPath: FieldPath;
  what: string;
}

/** PVCs and StatefulSet volumeClaimTemplates: every claim the render makes the cluster provision. */
function claimsOf(objects: { pvcs: K8sObject[]; statefulSets: K8sObject[] }): Claim[] {
  const claims: Claim[] = objects.pvcs.map((pvc) => ({ owner: pvc, specPath: ['spec'], what: describeRef(refOf(pvc)) }));
  for (const statefulSet of objects.statefulSets) {
    const templates = (statefulSet as any).spec?.volumeClaimTemplates;
    if (!Array.isArray(templates)) continue;
    templates.forEach((template: any, i: number) => {
      if (template && typeof template === 'object') {
        claims.push({ owner: statefulSet, specPath: ['spec', 'volumeClaimTemplates', i, 'spec'], what: `volumeClaimTemplate "${template.metadata?.name ?? i}" of ${describeRef(refOf(statefulSet))}` });
      }
    });
  }
  return claims;
}

function problemOf(spec: Record<string, any>, capabilities: ClusterCapabilities): { messageId: 'noDefaultClass' | 'unknownClass'; storageClass?: string; field?: string } | undefined {
  // A claim bound to a named PersistentVolume, or with the empty class (static provisioning only), needs no StorageClass.
  if (typeof spec.volumeName === 'string' && spec.volumeName !== '') return undefined;
  const storageClassName = spec.storageClassName;
  if (storageClassName === '') return undefined;
  if (storageClassName === undefined || storageClassName === null) {
    if (capabilities.defaultStorageClass) return undefined;
    return { messageId: 'noDefaultClass' };
  }
  if (typeof storageClassName !== 'string' || capabilities.storageClasses.has(storageClassName)) return undefined;
  return { messageId: 'unknownClass', storageClass: storageClassName, field: 'storageClassName' };
}

export default defineRule({
  id: 'references/pvc-storage-class',
  severity: 'error',
  description: 'Every PersistentVolumeClaim (and StatefulSet volumeClaimTemplate) gets a StorageClass the cluster has',
  rationale:
    'A claim without `storageClassName` is given the cluster\'s default StorageClass by admission; when there is none (EKS since 1.30, ' +
    'many kubeadm clusters) it is never provisioned. A claim naming a class the cluster lacks is the same. Either way the API server ' +
    'and every reconciler accept it, the claim stays Pending and the pod that mounts it is never scheduled. A cluster has a class ' +
    'when its render holds the StorageClass (the default one annotated `storageclass.kubernetes.io/is-default-class: "true"`) or ' +
    'when policies/config.yaml declares it under `clusters.<name>.provides` (`storageClasses`, `defaultStorageClass`); a cluster that ' +
    'declares no `provides` is not judged. Claims bound to a named volume or with `storageClassName: ""` are left alone.',
  howToFix:
    'Add the StorageClass to the cluster\'s infrastructure, or declare the one its distribution installs:\n\n' +
    '  clusters:\n    k3s:\n      provides:\n        defaultStorageClass: local-path   # k3s\'s bundled local-path provisioner\n\n' +
    'or name an existing class in the claim: `storageClassName: local-path`.',
  messages: {
    noDefaultClass:
      '{{claim}} sets no storageClassName and cluster {{cluster}} has no default StorageClass (none rendered with ' +
      'storageclass.kubernetes.io/is-default-class, and provides.defaultStorageClass is not declared): the claim stays Pending and its pod never starts; ' +
      'name a class or provide a default',
    unknownClass:
      '{{claim}} asks for StorageClass "{{storageClass}}", which cluster {{cluster}} does not have (not rendered, not in provides.storageClasses): ' +
      'the claim stays Pending and its pod never starts{{hint}}',
  },
  check({ graph, cluster, report }) {
    const capabilities = capabilitiesOf(graph, cluster);
    if (!capabilities) return;
    const pvcs = graph.byKind('PersistentVolumeClaim').filter((o) => o.apiVersion === 'v1');
    const statefulSets = graph.byKind('StatefulSet', undefined, 'apps');
    for (const claim of claimsOf({ pvcs, statefulSets })) {
      const spec = claim.specPath.reduce((value: any, key) => value?.[key], claim.owner);
      if (!spec || typeof spec !== 'object') continue;
      const problem = problemOf(spec, capabilities);
      if (!problem) continue;
      const data: Record<string, string> = problem.storageClass === undefined
        ? { claim: claim.what, cluster: cluster.name }
        : { claim: claim.what, cluster: cluster.name, storageClass: problem.storageClass, hint: didYouMean(problem.storageClass, capabilities.storageClasses.keys(), 'the cluster has no StorageClass at all') };
      report({ object: claim.owner, path: problem.field ? [...claim.specPath, problem.field] : claim.specPath, messageId: problem.messageId, data });
    }
  },
});
