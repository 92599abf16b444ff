import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { DEFAULT_DNS_TARGET, DNS_PORTS, dnsPods, type DnsTarget } from '../tools/lib/network/dns.ts';
import { networkPolicyIndex } from '../tools/lib/network/evaluate.ts';
import { dnsEgressSnippet } from '../tools/lib/network/snippets.ts';

interface Options {
  /** Where cluster DNS runs and how its pods are labelled (CoreDNS on kubeadm, kind and k3s keeps k8s-app: kube-dns). */
  dns: DnsTarget;
}

export default defineRule<Options>({
  id: 'network/dns-egress',
  severity: 'error',
  description: 'Pods isolated for egress may reach cluster DNS (kube-system, k8s-app: kube-dns) on 53/UDP and 53/TCP',
  rationale:
    'Every in-cluster address starts with a DNS lookup. A pod under an egress default-deny that is not allowed to reach ' +
    'kube-dns fails every connection with a resolution error, even the ones its policies allow. TCP matters as well as UDP: ' +
    'answers over 512 bytes (many SRV records, DNSSEC) are retried over TCP.',
  howToFix:
    'Allow DNS for every pod of the namespace next to its default-deny:\n\n' +
    '  apiVersion: networking.k8s.io/v1\n' +
    '  kind: NetworkPolicy\n' +
    '  metadata:\n' +
    '    name: allow-dns\n' +
    '    namespace: shop\n' +
    '  spec:\n' +
    '    podSelector: {}\n' +
    '    policyTypes: [Egress]\n' +
    '    egress:\n' +
    '      - to:\n' +
    '          - namespaceSelector:\n' +
    '              matchLabels: {kubernetes.io/metadata.name: kube-system}\n' +
    '            podSelector:\n' +
    '              matchLabels: {k8s-app: kube-dns}\n' +
    '        ports:\n' +
    '          - {protocol: UDP, port: 53}\n' +
    '          - {protocol: TCP, port: 53}\n\n' +
    'When the kube-dns pods are not in the repository, the checker judges against a stand-in pod with those labels in ' +
    'kube-system; set the rule option `dns: {namespace, podLabels}` if your DNS runs elsewhere. ' +
    'Waive the finding only for pods that really never resolve names.',
  messages: {
    dnsBlocked: '{{workload}} is isolated for egress by {{policies}} but may not reach cluster DNS (pods {{dnsPods}} in {{dnsNamespace}}) on {{ports}}',
  },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      dns: {
        type: 'object',
        description: 'Where cluster DNS runs: its namespace and the labels of its pods',
        additionalProperties: false,
        required: ['namespace', 'podLabels'],
        properties: {
          namespace: { type: 'string' },
          podLabels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
  defaultOptions: { dns: DEFAULT_DNS_TARGET },
  check({ graph, options, report }) {
    const index = networkPolicyIndex(graph);
    const servers = dnsPods(graph, options.dns);
    for (const pod of graph.podTemplates) {
      if (servers.includes(pod)) continue;
      const isolating = index.isolating(pod, 'egress');
      if (isolating.length === 0) continue;
      const blocked = DNS_PORTS.filter(({ port, protocol }) =>
        servers.some((server) => !index.evaluate({ from: pod, to: server, port, protocol }).allowed),
      );
      if (blocked.length === 0) continue;
      const ports = blocked.map(({ port, protocol }) => `${port}/${protocol}`).join(' and ');
      report({
        object: pod.owner,
        path: [...pod.metadataPath, 'labels'],
        messageId: 'dnsBlocked',
        data: {
          workload: describeRef(refOf(pod.owner)),
          policies: isolating.map((p) => p.id).join(', '),
          dnsPods: Object.entries(options.dns.podLabels).map(([k, v]) => `${k}=${v}`).join(','),
          dnsNamespace: options.dns.namespace,
          ports,
        },
        fix: dnsEgressSnippet(pod.namespace, options.dns),
      });
    }
  },
});
