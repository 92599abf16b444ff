import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/security-namespace-pss-label.ts';
import { webDeployment } from './helpers/manifests.ts';

const deployment = webDeployment(`      containers:
      - name: app
        image: nginx:1.27
`);

const namespace = (labels: string[]) => `apiVersion: v1
kind: Namespace
metadata:
  name: shop
${labels.length ? `  labels:\n${labels.map((l) => `    ${l}\n`).join('')}` : ''}---
${deployment}`;

const allRestricted = [
  'pod-security.kubernetes.io/enforce: restricted',
  'pod-security.kubernetes.io/audit: restricted',
  'pod-security.kubernetes.io/warn: restricted',
];

ruleTester(rule, {
  valid: [
    { name: 'enforce, audit and warn at restricted', yaml: namespace(allRestricted) },
    {
      name: 'baseline labels when the cluster minimum is baseline',
      cluster: { podSecurityMinimum: 'baseline' },
      yaml: namespace(allRestricted.map((l) => l.replace('restricted', 'baseline'))),
    },
    {
      name: 'a namespace without pods needs no labels',
      yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: empty\n',
    },
  ],
  invalid: [
    {
      name: 'only the enforce label',
      yaml: namespace(['pod-security.kubernetes.io/enforce: restricted']),
      findings: [
        {
          object: 'Namespace shop',
          path: 'metadata.labels',
          line: 5,
          message: 'has no pod-security.kubernetes.io/audit, pod-security.kubernetes.io/warn labels (minimum restricted)',
        },
      ],
    },
    {
      name: 'no labels at all',
      yaml: namespace([]),
      findings: [{ object: 'Namespace shop', path: 'metadata.labels', line: 3, message: 'has no pod-security.kubernetes.io/enforce' }],
    },
    {
      name: 'warn below the minimum and an enforce value that is not a level',
      yaml: namespace([
        'pod-security.kubernetes.io/enforce: strict',
        'pod-security.kubernetes.io/audit: restricted',
        'pod-security.kubernetes.io/warn: baseline',
      ]),
      findings: [
        { object: 'Namespace shop', path: 'metadata.labels["pod-security.kubernetes.io/enforce"]', line: 6, message: '"strict", which is not a Pod Security level' },
        { object: 'Namespace shop', path: 'metadata.labels["pod-security.kubernetes.io/warn"]', line: 8, message: 'warn: baseline, below the cluster minimum restricted' },
      ],
    },
    {
      name: 'the Namespace itself is not rendered',
      yaml: deployment,
      findings: [{ object: 'Deployment shop/web', path: 'metadata.namespace', line: 5, message: 'no Namespace object for it is rendered' }],
    },
    {
      name: 'a workload without a namespace lands in default, which nothing labels',
      yaml: deployment.replace('  namespace: shop\n', ''),
      findings: [{ object: 'Deployment default/web', path: 'metadata.namespace', line: 3, message: 'namespace default holds pods' }],
    },
  ],
});
