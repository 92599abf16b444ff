import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/rbac-no-wildcards.ts';

const seed003Role = `apiVersion: rbac.authorization.k8s.io/v1
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
`;

ruleTester(rule, {
  valid: [
    { name: 'seed 003: the worker Role names every verb and resource', yaml: seed003Role },
    {
      name: 'an aggregated ClusterRole (its rules are filled in by the controller) and an allow-listed operator role',
      options: { allow: [{ object: 'ClusterRole cnpg-*', reason: 'the operator manages its own CRD group' }] },
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cnpg-manager
rules:
- apiGroups: [postgresql.cnpg.io]
  resources: ["*"]
  verbs: ["*"]
`,
    },
  ],
  invalid: [
    {
      name: 'wildcards in verbs, resources (whole and subresource) and apiGroups, and a wildcard non-resource URL',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ci-deployer
rules:
- apiGroups: ["*"]
  resources: ["deployments", "*"]
  verbs: ["*"]
- apiGroups: [""]
  resources: ["pods/*"]
  verbs: ["get"]
- nonResourceURLs: ["*"]
  verbs: ["get"]
`,
      findings: [
        { object: 'ClusterRole ci-deployer', path: 'rules[0].apiGroups[0]', line: 6, message: 'ClusterRole ci-deployer rules[0] grants every API group ("*" in apiGroups); name what it needs' },
        { object: 'ClusterRole ci-deployer', path: 'rules[0].resources[1]', line: 7, message: 'ClusterRole ci-deployer rules[0] grants every resource ("*" in resources); name what it needs' },
        { object: 'ClusterRole ci-deployer', path: 'rules[0].verbs[0]', line: 8, message: 'ClusterRole ci-deployer rules[0] grants every verb ("*" in verbs); name what it needs' },
        { object: 'ClusterRole ci-deployer', path: 'rules[1].resources[0]', line: 10, message: 'ClusterRole ci-deployer rules[1] grants every subresource of pods ("pods/*" in resources); name what it needs' },
        { object: 'ClusterRole ci-deployer', path: 'rules[2].nonResourceURLs[0]', line: 12, message: 'ClusterRole ci-deployer rules[2] grants every non-resource URL ("*" in nonResourceURLs); name what it needs' },
      ],
    },
    {
      name: 'a namespaced Role that is not in the allow-list',
      options: { allow: [{ object: 'ClusterRole cnpg-*', reason: 'operator' }] },
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app
  namespace: shop
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, "*"]
`,
      findings: [
        { object: 'Role shop/app', path: 'rules[0].verbs[1]', line: 9, message: 'Role shop/app rules[0] grants every verb ("*" in verbs); name what it needs' },
      ],
    },
  ],
});
