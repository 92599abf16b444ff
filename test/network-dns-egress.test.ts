import { withMarkers, ruleTester, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/network-dns-egress.ts';
import { appDeployment, denyAllPolicy, networkPolicy } from './helpers/manifests.ts';

const web = appDeployment({ name: 'web', namespace: 'shop', image: 'example/web:1.0' });

const policy = (name: string, spec: string, namespace = 'shop') => networkPolicy(namespace, name, spec);

const denyAll = denyAllPolicy('shop');

const dnsAllow = (to: string, ports = `        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP`) =>
  policy('allow-dns', `  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
${to}      ports:
${ports}`);

const kubeDnsPeer = `        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
`;

ruleTester(rule, {
  valid: [
    { name: 'pods not isolated for egress need nothing', yaml: web + policy('deny-in', '  podSelector: {}') },
    { name: 'the usual allow-dns policy', yaml: web + denyAll + dnsAllow(kubeDnsPeer) },
    {
      name: 'named DNS ports resolve against the kube-dns stand-in',
      yaml: web + denyAll + dnsAllow(kubeDnsPeer, `        - port: dns
          protocol: UDP
        - port: dns-tcp
          protocol: TCP`),
    },
    { name: 'port 53 to anywhere', yaml: web + denyAll + dnsAllow('        - namespaceSelector: {}\n') },
    {
      name: 'DNS elsewhere, configured by option',
      yaml: web + denyAll + dnsAllow(`        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: dns
          podSelector:
            matchLabels:
              app: unbound
`),
      options: { dns: { namespace: 'dns', podLabels: { app: 'unbound' } } },
    },
    ...casesFoundByMutation().valid,
  ],
  invalid: [
    {
      name: 'default deny without DNS',
      yaml: withMarkers(web + denyAll, '⟦1⟧labels:'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.metadata.labels', messageId: 'dnsBlocked', data: { workload: 'Deployment shop/web', policies: 'shop/default-deny', dnsPods: 'k8s-app=kube-dns', dnsNamespace: 'kube-system', ports: '53/UDP and 53/TCP' } },
      ],
    },
    {
      name: 'UDP only: TCP fallback is blocked',
      yaml: withMarkers(web + denyAll + dnsAllow(kubeDnsPeer, `        - port: 53
          protocol: UDP`), '⟦1⟧labels:'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.metadata.labels', messageId: 'dnsBlocked', data: { workload: 'Deployment shop/web', policies: 'shop/default-deny, shop/allow-dns', dnsPods: 'k8s-app=kube-dns', dnsNamespace: 'kube-system', ports: '53/TCP' } },
      ],
    },
    {
      name: 'a namespaceSelector on a label kube-system does not carry',
      yaml: withMarkers(web + denyAll + dnsAllow(`        - namespaceSelector:
            matchLabels:
              name: kube-system
`), '⟦1⟧labels:'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.metadata.labels', messageId: 'dnsBlocked', data: { workload: 'Deployment shop/web', policies: 'shop/default-deny, shop/allow-dns', dnsPods: 'k8s-app=kube-dns', dnsNamespace: 'kube-system', ports: '53/UDP and 53/TCP' } },
      ],
    },
    {
      name: 'a rendered CoreDNS isolated for ingress blocks it from the other side',
      yaml:
        withMarkers(web, '  template:\n    metadata:\n      ⟦1⟧labels:\n        app: web') +
        denyAll +
        dnsAllow(kubeDnsPeer) +
        `apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  template:
    metadata:
      labels:
        k8s-app: kube-dns
    spec:
      containers:
        - name: coredns
          image: coredns/coredns:1.11.3
---
` +
        policy('deny-in', '  podSelector: {}', 'kube-system'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.metadata.labels', messageId: 'dnsBlocked', data: { workload: 'Deployment shop/web', policies: 'shop/default-deny, shop/allow-dns', dnsPods: 'k8s-app=kube-dns', dnsNamespace: 'kube-system', ports: '53/UDP and 53/TCP' } },
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
// The cluster DNS pod, 6 lines.
const coreDns = `apiVersion: v1
kind: Pod
metadata: { name: coredns, namespace: kube-system, labels: { k8s-app: kube-dns } }
spec:
  containers: [{ name: coredns, image: coredns:1 }]
---
`;
return {
  valid: [
    {
      name: 'the DNS servers themselves are not checked',
      yaml: coreDns + denyAllPolicy('kube-system'),
    },
  ],
  invalid: [
    {
      name: 'other pods in the DNS namespace are',
      yaml: withMarkers(coreDns + pod('kube-system', 'agent', '  containers: [{ name: agent, image: a:1 }]') + denyAllPolicy('kube-system'), '⟦1⟧labels: { app: agent } }'),
      findings: [
        { at: '1', object: 'Pod kube-system/agent', path: 'metadata.labels', messageId: 'dnsBlocked', data: { workload: 'Pod kube-system/agent', policies: 'kube-system/default-deny', dnsPods: 'k8s-app=kube-dns', dnsNamespace: 'kube-system', ports: '53/UDP and 53/TCP' } },
      ],
    },
  ],
};
}
