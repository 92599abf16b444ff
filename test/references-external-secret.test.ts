import { describe, expect, it } from 'vitest';
import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import externalSecret from '../policies/references-external-secret.ts';
import { fakeCanServe, fakeEntriesOf } from '../tools/lib/references/fake-provider.ts';

// External Secrets v0.12.1, pkg/provider/fake/fake.go (read with `fetch` at tag v0.12.1):
//   GetSecret: data, ok := p.config[mapKey(ref.Key, ref.Version)]; if !ok || data.Version != ref.Version -> NoSecretErr
//              if ref.Property != "" { val := gjson.Get(data.Value, ref.Property); if !val.Exists() -> NoSecretErr }
//   GetSecretMap (dataFrom.extract): "Due to backward compatibility valueMap will still be returned for now"
// so a remoteRef.property is served only from a JSON `value`, never from `valueMap`: the k3s/kind blocker of issue 11.

// Lines 1-12: ClusterSecretStore dev (fake provider).
const store = (entries: string) => `apiVersion: external-secrets.io/v1beta1
kind: ClusterSecretStore
metadata: { name: dev }
spec:
  provider:
    fake:
      data:
${entries}---
`;
const jsonEntries = `        - key: shop/db
          value: '{"username": "shop", "password": "pw", "nested": {"host": "db"}}'
        - key: shop/flat
          value: plain-text
`;
const valueMapEntries = `        - key: shop/db
          valueMap: { username: shop, password: pw }
        - key: shop/flat
          value: plain-text
`;

/** An ExternalSecret after the 12-line store; `data` entries start on line 19, three lines each (secretKey, remoteRef, its key/property). */
const es = (data: string, storeRef = '{ kind: ClusterSecretStore, name: dev }') => `apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: { name: shop-db, namespace: shop }
spec:
  secretStoreRef: ${storeRef}
  target: { name: shop-db }
  data:
${data}`;

const ref = (secretKey: string, remote: string) => `    - secretKey: ${secretKey}
      remoteRef:
        ${remote}
`;

ruleTester(externalSecret, {
  valid: [
    { name: 'properties of a JSON value, a nested property, a whole value', yaml: store(jsonEntries) + es(ref('DB_USER', '{ key: shop/db, property: username }') + ref('DB_HOST', '{ key: shop/db, property: nested.host }') + ref('FLAT', '{ key: shop/flat }')) },
    { name: 'dataFrom.extract reads a valueMap (GetSecretMap)', yaml: store(valueMapEntries) + es('').replace('  data:\n', '  dataFrom: [{ extract: { key: shop/db } }]\n') },
    { name: 'a store with a provider the checker cannot read: only the store is resolved', yaml: 'apiVersion: external-secrets.io/v1beta1\nkind: ClusterSecretStore\nmetadata: { name: dev }\nspec: { provider: { aws: { service: SecretsManager, region: eu-west-1 } } }\n---\n' + es(ref('DB_USER', '{ key: anything, property: whatever }')) },
    { name: 'a generator needs no store', yaml: es('').replace('  secretStoreRef: { kind: ClusterSecretStore, name: dev }\n', '').replace('  data:\n', '  dataFrom: [{ sourceRef: { generatorRef: { apiVersion: generators.external-secrets.io/v1alpha1, kind: Password, name: pw } } }]\n') },
    { name: 'ClusterSecretStore conditions admitting the namespace by name, selector or regex', yaml: store(jsonEntries).replace('spec:\n  provider:', 'spec:\n  conditions: [{ namespaces: [other] }, { namespaceRegexes: ["^sh"] }]\n  provider:') + es(ref('DB_USER', '{ key: shop/db, property: username }')) },
    { name: 'gjson queries are not guessed at', yaml: store(jsonEntries) + es(ref('ANY', '{ key: shop/db, property: "nested.#" }')) },
  ],
  invalid: [
    {
      name: 'issue 11: a property read from an entry that has only a valueMap',
      yaml: store(valueMapEntries) + es(ref('DB_USER', 'key: shop/db\n        property: username')),
      findings: [{ object: 'ExternalSecret shop/shop-db', path: 'spec.data[0].remoteRef.property', line: 23, message: 'ExternalSecret shop/shop-db reads property "username" of key "shop/db" for secretKey "DB_USER", but ClusterSecretStore "dev" (fake provider) serves entry "shop/db" only as a valueMap, which it never reads for a property (properties come from a JSON `value`): the Secret is never created' }],
    },
    {
      name: 'a key the store does not have, and a property its JSON value lacks',
      yaml: store(jsonEntries) + es(ref('DB_USER', 'key: shop/dbs') + ref('DB_PASSWORD', 'key: shop/db\n        property: pasword')),
      findings: [
        { object: 'ExternalSecret shop/shop-db', path: 'spec.data[0].remoteRef.key', line: 22, message: 'ExternalSecret shop/shop-db reads key "shop/dbs" for secretKey "DB_USER", but ClusterSecretStore "dev" (fake provider) has no entry with key "shop/dbs": the Secret is never created; did you mean one of "shop/db", "shop/flat"?' },
        { object: 'ExternalSecret shop/shop-db', path: 'spec.data[1].remoteRef.property', line: 26, message: 'ExternalSecret shop/shop-db reads property "pasword" of key "shop/db" for secretKey "DB_PASSWORD", but ClusterSecretStore "dev" (fake provider) has no property "pasword" in the `value` of entry "shop/db": the Secret is never created; did you mean one of "password", "nested", "username"?' },
      ],
    },
    {
      name: 'a property of a value that is not JSON',
      yaml: store(jsonEntries) + es(ref('FLAT', '{ key: shop/flat, property: x }')),
      findings: [{ object: 'ExternalSecret shop/shop-db', path: 'spec.data[0].remoteRef.property', line: 22, message: 'ExternalSecret shop/shop-db reads property "x" of key "shop/flat" for secretKey "FLAT", but ClusterSecretStore "dev" (fake provider) has a `value` in entry "shop/flat" that is not JSON, so no property "x": the Secret is never created' }],
    },
    {
      name: 'a store that does not exist (kind defaults to SecretStore in the namespace)',
      yaml: store(jsonEntries) + es(ref('DB_USER', '{ key: shop/db, property: username }'), '{ name: dev }'),
      findings: [{ object: 'ExternalSecret shop/shop-db', path: 'spec.secretStoreRef.name', line: 17, message: 'ExternalSecret shop/shop-db reads from SecretStore "dev", which does not exist in namespace shop: its Secret is never created; no SecretStore exists in namespace shop' }],
    },
    {
      name: 'a ClusterSecretStore whose conditions do not admit the namespace',
      yaml: store(jsonEntries).replace('spec:\n  provider:', 'spec:\n  conditions: [{ namespaces: [other] }, { namespaceSelector: { matchLabels: { team: shop } } }]\n  provider:') + es(ref('DB_USER', '{ key: shop/db, property: username }')),
      findings: [{ object: 'ExternalSecret shop/shop-db', path: 'spec.secretStoreRef.name', line: 18, message: 'ExternalSecret shop/shop-db reads from ClusterSecretStore "dev", whose spec.conditions do not admit namespace shop: its Secret is never created' }],
    },
    {
      name: 'a misspelled ClusterSecretStore',
      yaml: store(jsonEntries) + es(ref('DB_USER', '{ key: shop/db, property: username }'), '{ kind: ClusterSecretStore, name: devv }'),
      findings: [{ object: 'ExternalSecret shop/shop-db', path: 'spec.secretStoreRef.name', line: 17, message: 'ExternalSecret shop/shop-db reads from ClusterSecretStore "devv", which does not exist: its Secret is never created; did you mean "dev"?' }],
    },
  ],
});

describe('fake provider semantics (v0.12.1)', () => {
  const entries = fakeEntriesOf({ data: [{ key: 'k', value: '{"a": {"b.c": 1}, "n": null}' }, { key: 'k', version: 'v2', value: '{"x": 1}' }] });
  it('reads dotted gjson paths with escaped dots, and null counts as existing', () => {
    expect(fakeCanServe(entries, 'k', '', 'a.b\\.c')).toEqual({ ok: true });
    expect(fakeCanServe(entries, 'k', '', 'n')).toEqual({ ok: true });
  });
  it('matches the version exactly', () => {
    expect(fakeCanServe(entries, 'k', 'v2', 'x')).toEqual({ ok: true });
    expect(fakeCanServe(entries, 'k', 'v3', 'x')).toMatchObject({ ok: false, missing: 'key', reason: 'has no entry with key "k" and version "v3"' });
  });
});
