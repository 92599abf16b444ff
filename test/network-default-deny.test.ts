import { ruleTester } from '../tools/lib/core/rule-tester.ts';
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
  ],
  invalid: [
    {
      name: 'no policy at all, reported on the first workload when the Namespace is not rendered',
      yaml: web,
      findings: [{ object: 'Deployment shop/web', path: 'metadata.name', line: 4, message: 'denies ingress and egress by default' }],
    },
    {
      name: 'reported on the rendered Namespace when there is one',
      yaml: namespace('shop') + web + policy('deny-ingress', '  podSelector: {}'),
      findings: [{ object: 'Namespace shop', path: 'metadata.name', line: 4, message: /denies egress by default$/ }],
    },
    {
      name: 'a policy selecting only some pods is not a default deny',
      yaml: web + policy('web-only', `  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress, Egress]`),
      findings: [{ object: 'Deployment shop/web', path: 'metadata.name', line: 4, message: 'denies ingress and egress' }],
    },
    {
      name: 'a select-all policy with a wide-open rule does not count',
      yaml: web + policy('allow-all-out', `  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
    - {}`),
      findings: [{ object: 'Deployment shop/web', path: 'metadata.name', line: 4, message: 'shop/allow-all-out selects all pods but allows all egress' }],
    },
    {
      name: 'default-deny in another namespace does not help',
      yaml: web + policy('default-deny', `  podSelector: {}
  policyTypes: [Ingress, Egress]`, 'other'),
      findings: [{ object: 'Deployment shop/web', path: 'metadata.name', line: 4, message: 'namespace "shop" has pods (Deployment shop/web)' }],
    },
  ],
});
