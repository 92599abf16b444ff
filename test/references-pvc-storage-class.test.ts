import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-pvc-storage-class.ts';

const only = (yaml: string, ...keep: string[]) => yaml.replace(/⟦([A-Za-z0-9_-]+)⟧/g, (all, name: string) => (keep.includes(name) ? all : ''));

const pvc = (storageClass: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: shop }
⟦spec⟧spec:
  accessModes: [ReadWriteOnce]
${storageClass}  resources: { requests: { storage: 1Gi } }
`;
const statefulSet = (storageClass: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  serviceName: db-headless
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: postgres:16.6-alpine }] }
  volumeClaimTemplates:
    - metadata: { name: pgdata }
      ⟦tspec⟧spec:
        accessModes: [ReadWriteOnce]
${storageClass.replace(/^/gm, '    ').replace(/ +$/, '')}        resources: { requests: { storage: 1Gi } }
`;
const gp3Default = `---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: gp3
  annotations: { storageclass.kubernetes.io/is-default-class: "true" }
provisioner: ebs.csi.aws.com
`;
const gp3 = gp3Default.replace('  annotations: { storageclass.kubernetes.io/is-default-class: "true" }\n', '');
const none = { provides: {} };
const noDefault = (claim: string) =>
  `${claim} sets no storageClassName and cluster test has no default StorageClass (none rendered with storageclass.kubernetes.io/is-default-class, and provides.defaultStorageClass is not declared): the claim stays Pending and its pod never starts; name a class or provide a default`;
const unknown = (claim: string, name: string, hint: string) =>
  `${claim} asks for StorageClass "${name}", which cluster test does not have (not rendered, not in provides.storageClasses): the claim stays Pending and its pod never starts; ${hint}`;

ruleTester(rule, {
  valid: [
    { name: 'a cluster that declares no provides is not judged', yaml: only(pvc('')) },
    { name: 'no storageClassName on a cluster that declares its default class', yaml: only(pvc('') + '---\n' + statefulSet('')), cluster: { provides: { defaultStorageClass: 'local-path' } } },
    { name: 'no storageClassName with a rendered default StorageClass', yaml: only(pvc('') + gp3Default), cluster: none },
    { name: 'a named class that is rendered', yaml: only(pvc('  storageClassName: gp3\n') + gp3), cluster: none },
    { name: 'a named class the cluster declares', yaml: only(pvc('  storageClassName: fast\n')), cluster: { provides: { storageClasses: ['fast'] } } },
    { name: 'storageClassName "" asks for static provisioning only', yaml: only(pvc('  storageClassName: ""\n')), cluster: none },
    { name: 'a claim bound to a named PersistentVolume', yaml: only(pvc('  volumeName: pv-data\n')), cluster: none },
  ],
  invalid: [
    {
      name: 'issue 11: a PVC with no class on a cluster without a default StorageClass (EKS 1.30+)',
      yaml: only(pvc(''), 'spec'),
      cluster: none,
      findings: [{ object: 'PersistentVolumeClaim shop/data', path: 'spec', at: 'spec', message: noDefault('PersistentVolumeClaim shop/data') }],
    },
    {
      name: 'a StatefulSet volumeClaimTemplate with no class and no default (a rendered class that is not the default)',
      yaml: only(statefulSet('') + gp3, 'tspec'),
      cluster: none,
      findings: [{ object: 'StatefulSet shop/db', path: 'spec.volumeClaimTemplates[0].spec', at: 'tspec', message: noDefault('volumeClaimTemplate "pgdata" of StatefulSet shop/db') }],
    },
    {
      name: 'a misspelled class',
      yaml: only(pvc('  ⟦cls⟧storageClassName: gp2\n') + gp3Default, 'cls'),
      cluster: { provides: { storageClasses: ['local-path'] } },
      findings: [{ object: 'PersistentVolumeClaim shop/data', path: 'spec.storageClassName', at: 'cls', message: unknown('PersistentVolumeClaim shop/data', 'gp2', 'did you mean one of "gp3", "local-path"?') }],
    },
    {
      name: 'a named class on a cluster with no StorageClass at all',
      yaml: only(statefulSet('    ⟦tcls⟧storageClassName: local-path\n'), 'tcls'),
      cluster: none,
      findings: [{ object: 'StatefulSet shop/db', path: 'spec.volumeClaimTemplates[0].spec.storageClassName', at: 'tcls', message: unknown('volumeClaimTemplate "pgdata" of StatefulSet shop/db', 'local-path', 'the cluster has no StorageClass at all') }],
    },
  ],
});
