import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/rbac-sensitive-permissions.ts';

ruleTester(rule, {
  valid: [
    {
      name: 'seed 003: pods, pods/log and pods/status, bound to the server',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: hodei-jobs-worker-role
  namespace: hodei-jobs-workers
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get", "list", "watch", "create", "delete"]
  - apiGroups: [""]
    resources: ["pods/log", "pods/status"]
    verbs: ["get"]
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
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
      name: 'the built-in view role; an edit role defined in the render is judged by its own rules',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: viewers
  namespace: shop
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: Group, name: support}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: edit
rules:
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: editors
  namespace: shop
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {kind: Group, name: shop-developers}
`,
    },
    {
      name: 'documented exceptions in the allow-list',
      options: {
        allow: [
          { object: 'ClusterRole external-secrets-controller', permissions: ['read-secrets'], reason: 'writes the Secrets it syncs' },
          { object: 'ClusterRoleBinding flux-*', permissions: ['cluster-admin'], reason: 'Flux applies every kind' },
        ],
      },
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: external-secrets-controller
rules:
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, create, update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: flux-reconciler
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: kustomize-controller, namespace: flux-system}
`,
    },
  ],
  invalid: [
    {
      name: 'each sensitive permission, explicit or through a wildcard (get on every resource reads Secrets; at 1.33 it opens no exec)',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: debugger
rules:
- apiGroups: [""]
  resources: [secrets, configmaps]
  verbs: [list]
- apiGroups: [""]
  resources: [pods/exec, pods/attach]
  verbs: [create]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [clusterroles]
  verbs: [escalate, bind]
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [impersonate]
- apiGroups: ["*"]
  resources: ["*"]
  verbs: [get]
`,
      findings: [
        { object: 'ClusterRole debugger', path: 'rules[0]', line: 6, message: 'ClusterRole debugger rules[0] reads Secrets (get, list or watch on secrets), and with them every credential of the namespace; allow it in the rule\'s options with a reason if it is needed' },
        { object: 'ClusterRole debugger', path: 'rules[1]', line: 9, message: 'ClusterRole debugger rules[1] runs commands in pods (pods/exec); allow it in the rule\'s options with a reason if it is needed' },
        { object: 'ClusterRole debugger', path: 'rules[1]', line: 9, message: 'ClusterRole debugger rules[1] attaches to running containers (pods/attach); allow it in the rule\'s options with a reason if it is needed' },
        { object: 'ClusterRole debugger', path: 'rules[2]', line: 12, message: 'ClusterRole debugger rules[2] writes roles with permissions it does not hold (escalate); allow it in the rule\'s options with a reason if it is needed' },
        { object: 'ClusterRole debugger', path: 'rules[2]', line: 12, message: 'ClusterRole debugger rules[2] binds roles it does not hold (bind); allow it in the rule\'s options with a reason if it is needed' },
        { object: 'ClusterRole debugger', path: 'rules[3]', line: 15, message: 'ClusterRole debugger rules[3] acts as other users, groups or ServiceAccounts (impersonate); allow it in the rule\'s options with a reason if it is needed' },
        { object: 'ClusterRole debugger', path: 'rules[4]', line: 18, message: 'ClusterRole debugger rules[4] reads Secrets (get, list or watch on secrets), and with them every credential of the namespace; allow it in the rule\'s options with a reason if it is needed' },
      ],
    },
    {
      name: 'before Kubernetes 1.31 get on pods/exec and pods/attach was enough to open them (1.33 asks for create)',
      cluster: { kubernetesVersion: '1.30' },
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: support
  namespace: shop
rules:
- apiGroups: [""]
  resources: [pods, pods/exec, pods/attach, pods/log]
  verbs: [get]
`,
      findings: [
        { object: 'Role shop/support', path: 'rules[0]', line: 7, message: 'Role shop/support rules[0] runs commands in pods (pods/exec); allow it in the rule\'s options with a reason if it is needed' },
        { object: 'Role shop/support', path: 'rules[0]', line: 7, message: 'Role shop/support rules[0] attaches to running containers (pods/attach); allow it in the rule\'s options with a reason if it is needed' },
      ],
    },
    {
      name: 'cluster-admin bound cluster-wide and in one namespace, the built-in edit role; an allow entry covers only the permissions it names',
      options: { allow: [{ object: 'RoleBinding shop/*', permissions: ['read-secrets'], reason: 'unrelated' }] },
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- {kind: ServiceAccount, name: ci, namespace: ci}
- {kind: Group, name: platform-team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: shop-admin
  namespace: shop
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: deployer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: developers
  namespace: shop
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {kind: Group, name: shop-developers}
`,
      findings: [
        { object: 'ClusterRoleBinding ci-admin', path: 'roleRef.name', line: 8, message: 'ClusterRoleBinding ci-admin grants cluster-admin (everything in the cluster) to ServiceAccount ci/ci, Group platform-team; bind a role that lists what they need' },
        { object: 'RoleBinding shop/shop-admin', path: 'roleRef.name', line: 18, message: 'RoleBinding shop/shop-admin grants cluster-admin (everything in namespace shop) to ServiceAccount shop/deployer; bind a role that lists what they need' },
        { object: 'RoleBinding shop/developers', path: 'roleRef.name', line: 27, message: 'RoleBinding shop/developers grants the built-in ClusterRole edit (pods-exec, pods-attach, impersonate) to Group shop-developers; bind a role that lists what they need' },
      ],
    },
  ],
});
