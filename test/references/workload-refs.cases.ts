// Cases shared by the references/* rule test files (one test file per rule runs its cases).
import type { InvalidRuleTestCase, RuleTestCase } from '../../tools/lib/core/rule-tester.ts';

type RuleCases = { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] };

// Lines 1-9: what exists in namespace shop.
const existing = `apiVersion: v1
kind: ConfigMap
metadata: { name: shop-config, namespace: shop }
data: { LOG_LEVEL: info, REGION: eu }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: shop-api, namespace: shop }
---
`;
// Lines 10-14: an ExternalSecret producing Secret shop/shop-db with keys DB_USER and DB_PASSWORD.
const externalSecret = `apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: { name: shop-db, namespace: shop }
spec: { secretStoreRef: { kind: ClusterSecretStore, name: vault }, target: { name: shop-db }, data: [{ secretKey: DB_USER, remoteRef: { key: db, property: user } }, { secretKey: DB_PASSWORD, remoteRef: { key: db, property: password } }] }
---
`;

/** A Deployment starting after `existing` + `externalSecret` (line 15); its pod spec lines start at line 23, six spaces in. */
const pod = (podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
${podSpec}`;

const container = (lines: string) => `      containers:
        - name: api
          image: api:1.0
${lines}`;

export const workloadRefsCases: RuleCases = {
  valid: [
    {
      name: 'every reference resolves: rendered, produced by an ExternalSecret, or built in',
      yaml: existing + externalSecret + pod(`      serviceAccountName: shop-api
${container(`          envFrom: [{ configMapRef: { name: shop-config } }, { secretRef: { name: shop-db } }]
          env:
            - { name: LOG_LEVEL, valueFrom: { configMapKeyRef: { name: shop-config, key: LOG_LEVEL } } }
            - { name: DB_USER, valueFrom: { secretKeyRef: { name: shop-db, key: DB_USER } } }
`)}      volumes:
        - { name: ca, configMap: { name: kube-root-ca.crt, items: [{ key: ca.crt, path: ca.crt }] } }
        - { name: creds, projected: { sources: [{ secret: { name: shop-db, items: [{ key: DB_PASSWORD, path: pw }] } }, { serviceAccountToken: { path: token } }] } }
`),
    },
    {
      name: 'optional references may be absent; the default ServiceAccount always exists',
      yaml: existing + externalSecret + pod(`      serviceAccountName: default
${container(`          envFrom: [{ secretRef: { name: feature-flags, optional: true } }]
          env:
            - { name: X, valueFrom: { configMapKeyRef: { name: shop-config, key: MISSING, optional: true } } }
`)}      volumes:
        - { name: extra, secret: { secretName: extra, optional: true } }
`),
    },
    {
      name: 'Secrets made by a cert-manager Certificate and by the produces annotation',
      yaml: existing + externalSecret + `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: api-tls, namespace: shop }
spec: { secretName: api-tls, issuerRef: { kind: ClusterIssuer, name: ca } }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: operator, namespace: shop, annotations: { policy-check.dev/produces: "Secret/operator-token" } }
---
` + pod(container(`          env:
            - { name: TLS, valueFrom: { secretKeyRef: { name: api-tls, key: tls.crt } } }
            - { name: TOKEN, valueFrom: { secretKeyRef: { name: operator-token, key: anything } } }
`)),
    },
  ],
  invalid: [
    {
      name: 'serviceAccountName and imagePullSecrets that do not exist',
      yaml: existing + externalSecret + pod(`      serviceAccountName: shop-app
      imagePullSecrets: [{ name: registry }]
${container('')}`),
      findings: [
        { object: 'Deployment shop/api', path: 'spec.template.spec.serviceAccountName', line: 23, message: 'serviceAccountName in Deployment shop/api needs ServiceAccount "shop-app", which does not exist in namespace shop and nothing in the render produces: the pod cannot start; did you mean "shop-api"?' },
        { object: 'Deployment shop/api', path: 'spec.template.spec.imagePullSecrets[0].name', line: 24, message: 'imagePullSecrets in Deployment shop/api needs Secret "registry", which does not exist in namespace shop and nothing in the render produces: the pod cannot start; did you mean "shop-db"?' },
      ],
    },
    {
      name: 'env and envFrom naming a missing ConfigMap, a missing key, and a key the ExternalSecret does not make',
      yaml: existing + externalSecret + pod(container(`          envFrom:
            - configMapRef: { name: shop-conf }
          env:
            - name: LEVEL
              valueFrom: { configMapKeyRef: { name: shop-config, key: LOGLEVEL } }
            - name: DB_PASS
              valueFrom: { secretKeyRef: { name: shop-db, key: DB_PASS } }
`)),
      findings: [
        { object: 'Deployment shop/api', path: 'spec.template.spec.containers[0].envFrom[0].configMapRef.name', line: 27, message: 'envFrom of container "api" in Deployment shop/api needs ConfigMap "shop-conf", which does not exist in namespace shop and nothing in the render produces: the pod cannot start; did you mean "shop-config"?' },
        { object: 'Deployment shop/api', path: 'spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.key', line: 30, message: 'env LEVEL of container "api" in Deployment shop/api reads key "LOGLEVEL" of ConfigMap "shop-config", which has no such key: the pod cannot start; did you mean one of "LOG_LEVEL", "REGION"?' },
        { object: 'Deployment shop/api', path: 'spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.key', line: 32, message: 'env DB_PASS of container "api" in Deployment shop/api reads key "DB_PASS" of Secret "shop-db" (made by ExternalSecret shop/shop-db), which has no such key: the pod cannot start; did you mean one of "DB_PASSWORD", "DB_USER"?' },
      ],
    },
    {
      name: 'volumes: a missing Secret, a ConfigMap item key, a PVC and a projected ConfigMap',
      yaml: existing + externalSecret + pod(`${container('')}      volumes:
        - name: tls
          secret: { secretName: shop-tls }
        - name: config
          configMap:
            name: shop-config
            items: [{ key: app.yaml, path: app.yaml }]
        - name: data
          persistentVolumeClaim: { claimName: shop-data }
        - name: all
          projected:
            sources:
              - configMap: { name: settings }
`),
      findings: [
        { object: 'Deployment shop/api', path: 'spec.template.spec.volumes[0].secret.secretName', line: 28, message: 'volume "tls" in Deployment shop/api needs Secret "shop-tls", which does not exist in namespace shop and nothing in the render produces: the pod cannot start; did you mean "shop-db"?' },
        { object: 'Deployment shop/api', path: 'spec.template.spec.volumes[1].configMap.items[0].key', line: 32, message: 'volume "config" in Deployment shop/api reads key "app.yaml" of ConfigMap "shop-config", which has no such key: the pod cannot start; did you mean one of "REGION", "LOG_LEVEL"?' },
        { object: 'Deployment shop/api', path: 'spec.template.spec.volumes[2].persistentVolumeClaim.claimName', line: 34, message: 'volume "data" in Deployment shop/api needs PersistentVolumeClaim "shop-data", which does not exist in namespace shop and nothing in the render produces: the pod cannot start; no PersistentVolumeClaim exists in namespace shop' },
        { object: 'Deployment shop/api', path: 'spec.template.spec.volumes[3].projected.sources[0].configMap.name', line: 38, message: 'volume "all" in Deployment shop/api needs ConfigMap "settings", which does not exist in namespace shop and nothing in the render produces: the pod cannot start; did you mean "shop-config"?' },
      ],
    },
    {
      name: 'a malformed produces annotation entry declares nothing and is reported',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: operator
  namespace: shop
  annotations:
    policy-check.dev/produces: "Secret/token, Secret"
`,
      findings: [{ object: 'ConfigMap shop/operator', path: 'metadata.annotations["policy-check.dev/produces"]', line: 7, message: 'the policy-check.dev/produces annotation of ConfigMap shop/operator has the entry "Secret", which is not Kind/name or Kind/namespace/name: it declares nothing' }],
    },
    {
      name: 'an ExternalSecret with creationPolicy Merge produces nothing',
      yaml: existing + externalSecret.replace('target: { name: shop-db }', 'target: { name: shop-db, creationPolicy: Merge }') + pod(container(`          envFrom: [{ secretRef: { name: shop-db } }]
`)),
      findings: [
        { object: 'Deployment shop/api', path: 'spec.template.spec.containers[0].envFrom[0].secretRef.name', line: 26, message: 'envFrom of container "api" in Deployment shop/api needs Secret "shop-db", which does not exist in namespace shop and nothing in the render produces: the pod cannot start; no Secret exists in namespace shop' },
      ],
    },
  ],
};

const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', roleRef: string, subjects: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: { name: api${kind === 'RoleBinding' ? ', namespace: shop' : ''} }
roleRef:
  apiGroup: rbac.authorization.k8s.io
${roleRef}
subjects:
${subjects}
---
`;
// Lines 10-14: Role shop/api-reader.
const role = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: api-reader, namespace: shop }
rules: [{ apiGroups: [""], resources: [configmaps], verbs: [get] }]
---
`;

export const rbacBindingCases: RuleCases = {
  valid: [
    { name: 'RoleBinding to a Role of its namespace and a ServiceAccount of it', yaml: existing + role + binding('RoleBinding', '  kind: Role\n  name: api-reader', '  - { kind: ServiceAccount, name: shop-api }') },
    { name: 'ClusterRoleBinding to a built-in ClusterRole; Group subjects are not resolved', yaml: existing + binding('ClusterRoleBinding', '  kind: ClusterRole\n  name: view', '  - { kind: ServiceAccount, name: shop-api, namespace: shop }\n  - { kind: Group, name: auditors, apiGroup: rbac.authorization.k8s.io }') },
    {
      name: 'a ServiceAccount a Helm release creates (helm create convention: release name containing the chart name)',
      yaml: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: external-secrets, namespace: external-secrets }
spec: { chart: { spec: { chart: external-secrets, sourceRef: { kind: HelmRepository, name: es } } } }
---
` + binding('ClusterRoleBinding', '  kind: ClusterRole\n  name: view', '  - { kind: ServiceAccount, name: external-secrets, namespace: external-secrets }'),
    },
  ],
  invalid: [
    {
      name: 'RoleBinding to a missing Role and a misspelled ServiceAccount',
      yaml: existing + role + binding('RoleBinding', '  kind: Role\n  name: api-read', '  - kind: ServiceAccount\n    name: shop-apl'),
      findings: [
        { object: 'RoleBinding shop/api', path: 'roleRef.name', line: 21, message: 'RoleBinding shop/api binds Role "api-read", which does not exist in namespace shop: the binding grants nothing; did you mean "api-reader"?' },
        { object: 'RoleBinding shop/api', path: 'subjects[0].name', line: 24, message: 'RoleBinding shop/api grants to ServiceAccount "shop-apl", which does not exist in namespace shop and nothing in the render produces; did you mean "shop-api"?' },
      ],
    },
    {
      name: 'ClusterRoleBinding to a Role, and a ServiceAccount subject without namespace',
      yaml: existing + role + binding('ClusterRoleBinding', '  kind: Role\n  name: api-reader', '  - { kind: ServiceAccount, name: shop-api }'),
      findings: [
        { object: 'ClusterRoleBinding api', path: 'roleRef.kind', line: 20, message: 'ClusterRoleBinding api binds Role "api-reader", but a ClusterRoleBinding can only bind a ClusterRole' },
        { object: 'ClusterRoleBinding api', path: 'subjects[0]', line: 23, message: 'ClusterRoleBinding api names ServiceAccount "shop-api" without a namespace, which a ClusterRoleBinding requires' },
      ],
    },
    {
      name: 'ClusterRole that is not in the render and not built in',
      yaml: existing + binding('ClusterRoleBinding', '  kind: ClusterRole\n  name: shop-operator', '  - { kind: ServiceAccount, name: shop-api, namespace: shop }'),
      findings: [{ object: 'ClusterRoleBinding api', path: 'roleRef.name', line: 16, message: 'ClusterRoleBinding api binds ClusterRole "shop-operator", which does not exist: the binding grants nothing; no ClusterRole exists' }],
    },
  ],
};
