import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/rbac-service-account-token.ts';

const deployment = (namespace: string, name: string, podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  template:
    spec:
${podSpec}      containers:
      - name: app
        image: app:1.0
---
`;

ruleTester(rule, {
  valid: [
    {
      name: 'seed 003: hodei-server mounts its token and a RoleBinding in the workers namespace grants it a Role',
      yaml: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: hodei-server
  namespace: hodei-jobs
---
${deployment('hodei-jobs', 'hodei-server', '      serviceAccountName: hodei-server\n')}apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: hodei-jobs-worker-binding
  namespace: hodei-jobs-workers
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: hodei-jobs-worker-role}
subjects:
  - {kind: ServiceAccount, name: hodei-server, namespace: hodei-jobs}
`,
    },
    {
      name: 'the mount is off on the pod, or on the ServiceAccount; a ServiceAccount bound outside the repository is allow-listed',
      options: { allow: [{ object: 'ServiceAccount monitoring/*', reason: 'bound by the kube-prometheus chart' }] },
      yaml: `${deployment('shop', 'web', '      automountServiceAccountToken: false\n')}apiVersion: v1
kind: ServiceAccount
metadata:
  name: worker
  namespace: hodei-jobs-workers
automountServiceAccountToken: false
---
${deployment('hodei-jobs-workers', 'worker', '      serviceAccountName: worker\n')}${deployment('monitoring', 'exporter', '')}`,
    },
    {
      name: 'a RoleBinding to all ServiceAccounts of the namespace counts, its subject namespace defaulting to the binding\'s',
      yaml: `${deployment('ops', 'leader', '')}apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: leases
  namespace: ops
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: lease-holder}
subjects:
  - {kind: Group, name: "system:serviceaccounts:ops"}
`,
    },
  ],
  invalid: [
    {
      name: 'the default ServiceAccount mounted with no binding; an explicit true on the pod overrides the ServiceAccount\'s false',
      yaml: `${deployment('shop', 'web', '')}apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: shop
automountServiceAccountToken: false
---
${deployment('shop', 'api', '      serviceAccountName: api\n      automountServiceAccountToken: true\n')}apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: other
  namespace: shop
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
  - {kind: ServiceAccount, name: api, namespace: elsewhere}
`,
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.automountServiceAccountToken', line: 8, message: 'Deployment shop/web mounts the API token of ServiceAccount shop/default, which no RoleBinding or ClusterRoleBinding in this cluster grants a role; set automountServiceAccountToken: false on the pod or the ServiceAccount' },
        { object: 'Deployment shop/api', path: 'spec.template.spec.automountServiceAccountToken', line: 29, message: 'Deployment shop/api mounts the API token of ServiceAccount shop/api (automountServiceAccountToken: true), which no RoleBinding or ClusterRoleBinding in this cluster grants a role; set automountServiceAccountToken: false on the pod or the ServiceAccount' },
      ],
    },
  ],
});
