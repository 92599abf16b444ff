import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import type { FieldPath, K8sObject } from '../tools/lib/core/types.ts';
import { apiGroupOf } from '../tools/lib/core/graph.ts';
import { referenceIndexOf } from '../tools/lib/references/reference-index.ts';
import { didYouMean } from '../tools/lib/references/did-you-mean.ts';
import { fakeCanServe, fakeEntriesOf } from '../tools/lib/references/fake-provider.ts';
import { clusterStoreAdmits } from '../tools/lib/references/store-conditions.ts';

interface StoreRef { kind: string; name: string; path: FieldPath }

function storeRefOf(ref: any, path: FieldPath): StoreRef | undefined {
  if (!ref || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind === 'ClusterSecretStore' ? 'ClusterSecretStore' : 'SecretStore', name: ref.name, path: [...path, 'name'] };
}

export default defineRule({
  id: 'references/external-secret',
  severity: 'error',
  description: "Every ExternalSecret names a SecretStore/ClusterSecretStore that exists, and reads only what a store in the repository can serve",
  rationale:
    'An ExternalSecret whose store does not exist, or whose `remoteRef` asks for a key or property the store does not have, ' +
    'never creates its Secret (status SecretSyncedError), and every pod that mounts that Secret stays in CreateContainerConfigError. ' +
    'Where the store is in the repository (the development `fake` provider), the checker reads it exactly as External Secrets ' +
    '0.12.1 does: a `property` is read with gjson from the entry\'s JSON `value`; `valueMap` is never read for a property.',
  howToFix:
    'Name an existing store (`kind: ClusterSecretStore` for a cluster-wide one; the default kind is SecretStore in the same ' +
    'namespace). For the fake provider, give each key a JSON `value` holding every property the ExternalSecrets read:\n\n' +
    '  provider:\n    fake:\n      data:\n        - key: a4co/database\n          value: \'{"username": "a4co", "password": "dev-postgres-password"}\'\n\n' ,
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    for (const es of graph.byKind('ExternalSecret')) {
      if (apiGroupOf(es) !== 'external-secrets.io') continue;
      const spec = (es as any).spec ?? {};
      const namespace = es.metadata.namespace ?? 'default';
      const name = describeRef(refOf(es));
      const defaultRef = storeRefOf(spec.secretStoreRef, ['spec', 'secretStoreRef']);
      // Each store is resolved (and reported) once per ExternalSecret; undefined = missing, unusable or produced elsewhere.
      const stores = new Map<string, K8sObject | undefined>();
      const storeFor = (ref: StoreRef): K8sObject | undefined => {
        const key = `${ref.kind}/${ref.name}`;
        if (stores.has(key)) return stores.get(key);
        const ns = ref.kind === 'ClusterSecretStore' ? undefined : namespace;
        const resolved = index.resolve(ref.kind, ns, ref.name);
        if (!resolved) {
          const scope = ns ? ` in namespace ${ns}` : '';
          report({
            object: es,
            path: ref.path,
            message: `${name} reads from ${ref.kind} "${ref.name}", which does not exist${scope}: its Secret is never created` +
              didYouMean(ref.name, index.namesOf(ref.kind, ns), `no ${ref.kind} exists${scope}`),
          });
        }
        let store = resolved?.object;
        if (store && ref.kind === 'ClusterSecretStore' && !clusterStoreAdmits(store, namespace, graph.namespaceLabels(namespace))) {
          report({
            object: es,
            path: ref.path,
            message: `${name} reads from ClusterSecretStore "${ref.name}", whose spec.conditions do not admit namespace ${namespace}: its Secret is never created`,
            related: [{ message: 'the store\'s conditions', object: store, path: ['spec', 'conditions'] }],
          });
          store = undefined;
        }
        stores.set(key, store);
        return store;
      };
      const fakeOf = (store: K8sObject | undefined) => (store as any)?.spec?.provider?.fake;

      (Array.isArray(spec.data) ? spec.data : []).forEach((entry: any, i: number) => {
        if (entry?.sourceRef?.generatorRef) return;
        const ref = storeRefOf(entry?.sourceRef?.storeRef, ['spec', 'data', i, 'sourceRef', 'storeRef']) ?? defaultRef;
        if (!ref) return;
        const fake = fakeOf(storeFor(ref));
        const remote = entry?.remoteRef;
        if (!fake || typeof remote?.key !== 'string') return;
        const property = typeof remote.property === 'string' && remote.property !== '' ? remote.property : undefined;
        const result = fakeCanServe(fakeEntriesOf(fake), remote.key, typeof remote.version === 'string' ? remote.version : '', property);
        if (result.ok !== false) return;
        const field = result.missing;
        report({
          object: es,
          path: ['spec', 'data', i, 'remoteRef', field],
          message: `${name} reads ${field === 'property' ? `property "${property}" of key "${remote.key}"` : `key "${remote.key}"`} for secretKey "${entry.secretKey}", ` +
            `but ${ref.kind} "${ref.name}" (fake provider) ${result.reason}: the Secret is never created` +
            (result.candidates.length ? didYouMean(field === 'property' ? property! : remote.key, result.candidates, '') : ''),
        });
      });

      (Array.isArray(spec.dataFrom) ? spec.dataFrom : []).forEach((entry: any, i: number) => {
        if (entry?.sourceRef?.generatorRef) return;
        const ref = storeRefOf(entry?.sourceRef?.storeRef, ['spec', 'dataFrom', i, 'sourceRef', 'storeRef']) ?? defaultRef;
        if (!ref) return;
        const fake = fakeOf(storeFor(ref));
        const key = entry?.extract?.key;
        if (!fake || typeof key !== 'string') return;
        const result = fakeCanServe(fakeEntriesOf(fake), key, typeof entry.extract.version === 'string' ? entry.extract.version : '', undefined);
        if (result.ok !== false) return;
        report({
          object: es,
          path: ['spec', 'dataFrom', i, 'extract', 'key'],
          message: `${name} extracts key "${key}", but ${ref.kind} "${ref.name}" (fake provider) ${result.reason}: the Secret is never created` + didYouMean(key, result.candidates, 'the store has no entries'),
        });
      });
      if (defaultRef && !(Array.isArray(spec.data) && spec.data.length) && !(Array.isArray(spec.dataFrom) && spec.dataFrom.length)) storeFor(defaultRef);
    }
  },
});
