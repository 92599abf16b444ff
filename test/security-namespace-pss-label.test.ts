import { withMarkers, ruleTester } from '../tools/lib/core/rule-tester.ts';
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
      yaml: withMarkers(namespace(['pod-security.kubernetes.io/enforce: restricted']), '⟦1⟧labels:'),
      findings: [
        { at: '1', object: 'Namespace shop', path: 'metadata.labels', messageId: 'missingLabels', data: { namespace: 'shop', labels: 'pod-security.kubernetes.io/audit, pod-security.kubernetes.io/warn', minimum: 'restricted' } },
      ],
    },
    {
      name: 'one label missing',
      yaml: withMarkers(namespace(['pod-security.kubernetes.io/enforce: restricted', 'pod-security.kubernetes.io/audit: restricted']), '⟦1⟧labels:'),
      findings: [
        { at: '1', object: 'Namespace shop', path: 'metadata.labels', messageId: 'missingLabel', data: { namespace: 'shop', labels: 'pod-security.kubernetes.io/warn', minimum: 'restricted' } },
      ],
    },
    {
      name: 'no labels at all',
      yaml: withMarkers(namespace([]), 'kind: Namespace\n⟦1⟧metadata:'),
      findings: [
        { at: '1', object: 'Namespace shop', path: 'metadata.labels', messageId: 'missingLabels', data: { namespace: 'shop', labels: 'pod-security.kubernetes.io/enforce, pod-security.kubernetes.io/audit, pod-security.kubernetes.io/warn', minimum: 'restricted' } },
      ],
    },
    {
      name: 'warn below the minimum and an enforce value that is not a level',
      yaml: namespace([
        '⟦1⟧pod-security.kubernetes.io/enforce: strict',
        'pod-security.kubernetes.io/audit: restricted',
        '⟦2⟧pod-security.kubernetes.io/warn: baseline',
      ]),
      findings: [
        { at: '1', object: 'Namespace shop', path: 'metadata.labels["pod-security.kubernetes.io/enforce"]', messageId: 'notALevel', data: { namespace: 'shop', label: 'pod-security.kubernetes.io/enforce', value: 'strict' } },
        { at: '2', object: 'Namespace shop', path: 'metadata.labels["pod-security.kubernetes.io/warn"]', messageId: 'belowMinimum', data: { namespace: 'shop', label: 'pod-security.kubernetes.io/warn', level: 'baseline', minimum: 'restricted' } },
      ],
    },
    {
      name: 'the Namespace itself is not rendered',
      yaml: withMarkers(deployment, '⟦1⟧namespace: shop'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'metadata.namespace', messageId: 'noNamespaceObject', data: { namespace: 'shop' } },
      ],
    },
    {
      name: 'a workload without a namespace lands in default, which nothing labels',
      yaml: withMarkers(deployment.replace('  namespace: shop\n', ''), '⟦1⟧metadata:'),
      findings: [
        { at: '1', object: 'Deployment default/web', path: 'metadata.namespace', messageId: 'noNamespaceObject', data: { namespace: 'default' } },
      ],
    },
  ],
});
