// Whether a ClusterSecretStore serves ExternalSecrets of a namespace, as External Secrets v0.12.1 decides it
// (pkg/controllers/secretstore/client_manager.go, shouldProcessSecret): no conditions admit every namespace;
// otherwise some condition's namespaceSelector, `namespaces` entry (a kubernetes.io/metadata.name selector) or
// namespaceRegexes entry (Go regexp.MatchString: unanchored) must match.
import type { K8sObject } from '../core/types.ts';
import { matchesLabelSelector } from '../core/label-selector.ts';

export function clusterStoreAdmits(store: K8sObject, namespace: string, namespaceLabels: Record<string, string>): boolean {
  const conditions = (store as any).spec?.conditions;
  if (!Array.isArray(conditions) || conditions.length === 0) return true;
  for (const condition of conditions) {
    if (!condition || typeof condition !== 'object') continue;
    if (condition.namespaceSelector && matchesLabelSelector(condition.namespaceSelector, namespaceLabels)) return true;
    if (Array.isArray(condition.namespaces) && condition.namespaces.includes(namespace)) return true;
    for (const pattern of Array.isArray(condition.namespaceRegexes) ? condition.namespaceRegexes : []) {
      try {
        if (new RegExp(String(pattern)).test(namespace)) return true;
      } catch {
        // A Go regexp JavaScript cannot compile: do not guess, treat it as admitting.
        return true;
      }
    }
  }
  return false;
}
