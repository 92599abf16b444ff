import { withMarkers, ruleTester, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/network-default-deny.ts';
import { appDeployment, denyAllPolicy, namespace, networkPolicy } from './helpers/manifests.ts';

const web = appDeployment({ name: 'web', namespace: 'shop', image: 'nginx:1.27' });

const policy = (name: string, spec: string, namespace = 'shop') => networkPolicy(namespace, name, spec);

const denyBoth = denyAllPolicy('shop');

ruleTester(rule, {
  valid: [
    { name: 'one policy denies both directions', yaml: web + denyBoth },
    {
      name: 'two policies, one per direction, and a selector written with empty matchLabels',
      yaml:
        web +
        policy('deny-ingress', `  podSelector: {}`) +
        policy('deny-egress', `  podSelector:
    matchLabels: {}
  policyTypes: [Egress]`),
    },
    {
      name: 'a select-all policy that also allows DNS still denies by default',
      yaml: web + policy('default-deny', `  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
    - to:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: UDP`),
    },
    { name: 'namespaces without pods need nothing', yaml: policy('x', '  podSelector: {}', 'other') },
    {
      name: 'kube-system is exempt by default',
      yaml: web.replace('namespace: shop', 'namespace: kube-system'),
    },
    {
      name: 'exemptNamespaces option',
      yaml: web,
      options: { exemptNamespaces: ['shop'] },
    },
    ...casesFoundByMutation().valid,
  ],
  invalid: [
    {
      name: 'no policy at all, reported on the first workload when the Namespace is not rendered',
      yaml: withMarkers(web, '  ⟦1⟧name: web'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'metadata.name', messageId: 'noDefaultDeny', data: { namespace: 'shop', workloads: 'Deployment shop/web', directions: 'ingress and egress' } },
      ],
    },
    {
      name: 'reported on the rendered Namespace when there is one',
      yaml: withMarkers(namespace('shop') + web + policy('deny-ingress', '  podSelector: {}'), '⟦1⟧name: shop'),
      findings: [
        { at: '1', object: 'Namespace shop', path: 'metadata.name', messageId: 'noDefaultDeny', data: { namespace: 'shop', workloads: 'Deployment shop/web', directions: 'egress' } },
      ],
    },
    {
      name: 'a policy selecting only some pods is not a default deny',
      yaml: withMarkers(web, 'kind: Deployment\nmetadata:\n  ⟦1⟧name: web') + policy('web-only', `  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress, Egress]`),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'metadata.name', messageId: 'noDefaultDeny', data: { namespace: 'shop', workloads: 'Deployment shop/web', directions: 'ingress and egress' } },
      ],
    },
    {
      name: 'a select-all policy with a wide-open rule does not count',
      yaml: withMarkers(web + policy('allow-all-out', `  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
    - {}`), '  ⟦1⟧name: web'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'metadata.name', messageId: 'noDefaultDenyAllowAll', data: { namespace: 'shop', workloads: 'Deployment shop/web', directions: 'egress', notes: 'shop/allow-all-out selects all pods but allows all egress' } },
      ],
    },
    {
      name: 'default-deny in another namespace does not help',
      yaml: withMarkers(web + policy('default-deny', `  podSelector: {}
  policyTypes: [Ingress, Egress]`, 'other'), '  ⟦1⟧name: web'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'metadata.name', messageId: 'noDefaultDeny', data: { namespace: 'shop', workloads: 'Deployment shop/web', directions: 'ingress and egress' } },
      ],
    },
    ...casesFoundByMutation().invalid,
  ],
});

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-network.test.ts.
function casesFoundByMutation(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
const pod = (namespace: string, name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace}, labels: { app: ${name} } }
spec:
${spec}
---
`;
return {
  valid: [
    {
      name: 'a select-all rule limited to some ports still denies the rest by default',
      yaml: pod('shop', 'web', '  containers: [{ name: web, image: web:1 }]') + networkPolicy('shop', 'default-deny', `  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - ports: [{ port: 80 }]`),
    },
  ],
  invalid: [
    {
      name: 'a select-all rule with neither peers nor ports allows everything',
      yaml: withMarkers(pod('shop', 'web', '  containers: [{ name: web, image: web:1 }]') + networkPolicy('shop', 'default-deny', `  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - {}`), '⟦1⟧name: web, namespace: shop, labels: { app: web } }'),
      findings: [
        { at: '1', object: 'Pod shop/web', path: 'metadata.name', messageId: 'noDefaultDenyAllowAll', data: { namespace: 'shop', workloads: 'Pod shop/web', directions: 'ingress', notes: 'shop/default-deny selects all pods but allows all ingress' } },
      ],
    },
  ],
};
}
