import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { isEmptySelector } from '../tools/lib/core/label-selector.ts';
import { networkPolicyIndex } from '../tools/lib/network/evaluate.ts';
import { type Direction, type NetworkPolicyModel } from '../tools/lib/network/policy.ts';
import { defaultDenySnippet } from '../tools/lib/network/snippets.ts';

interface Options {
  /** Namespaces not checked (cluster add-ons the repository does not own). */
  exemptNamespaces: string[];
}

const DIRECTIONS: Direction[] = ['ingress', 'egress'];

/** A rule with neither peers nor ports lets everything through, which undoes the isolation. */
function allowsEverything(policy: NetworkPolicyModel, direction: Direction): boolean {
  return policy.rules[direction].some((rule) => rule.peers === undefined && rule.ports === undefined);
}

export default defineRule<Options>({
  id: 'network/default-deny',
  severity: 'error',
  description: 'Every namespace with pods has a NetworkPolicy that selects all its pods and isolates ingress and egress',
  rationale:
    'Without a NetworkPolicy every pod accepts connections from, and opens connections to, every other pod and the internet: ' +
    'one compromised container can reach every database in the cluster. A default-deny policy (empty podSelector, both ' +
    'policyTypes) turns the network into an allow list, so each allowed flow is written down, reviewed and visible in the ' +
    'connectivity matrix. Seeds 002 and 004 fixed exactly this with default-deny plus explicit allows.',
  howToFix:
    'Add one policy per namespace, next to the namespace\'s other base resources:\n\n' +
    '  apiVersion: networking.k8s.io/v1\n' +
    '  kind: NetworkPolicy\n' +
    '  metadata:\n' +
    '    name: default-deny\n' +
    '    namespace: shop\n' +
    '  spec:\n' +
    '    podSelector: {}\n' +
    '    policyTypes: [Ingress, Egress]\n\n' +
    'then allow what the pods need (DNS egress, their dependencies, their Service clients) with further policies. ' +
    'A policy that selects all pods but has a rule with neither `from`/`to` nor `ports` allows everything and does not count.\n' +
    'To exempt a namespace, list it in the rule option `exemptNamespaces` (policies/config.yaml).',
  messages: {
    noDefaultDeny: 'namespace "{{namespace}}" has pods ({{workloads}}) but no NetworkPolicy that selects all of them denies {{directions}} by default',
    noDefaultDenyAllowAll:
      'namespace "{{namespace}}" has pods ({{workloads}}) but no NetworkPolicy that selects all of them denies {{directions}} by default ({{notes}})',
  },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { exemptNamespaces: { type: 'array', items: { type: 'string' }, description: 'Namespaces that need no default-deny policy' } },
  },
  defaultOptions: { exemptNamespaces: ['kube-system'] },
  check({ graph, options, report }) {
    const index = networkPolicyIndex(graph);
    for (const namespace of graph.namespacesWithPods()) {
      if (options.exemptNamespaces.includes(namespace)) continue;
      const selectAll = index.policiesIn(namespace).filter((policy) => isEmptySelector(policy.podSelector));
      const missing: string[] = [];
      const notes: string[] = [];
      for (const direction of DIRECTIONS) {
        const isolating = selectAll.filter((policy) => policy.isolates[direction]);
        const denying = isolating.filter((policy) => !allowsEverything(policy, direction));
        if (denying.length > 0) continue;
        missing.push(direction);
        for (const policy of isolating) notes.push(`${policy.id} selects all pods but allows all ${direction}`);
      }
      if (missing.length === 0) continue;
      const pods = graph.podTemplates.filter((t) => t.namespace === namespace);
      const namespaceObject = graph.get('Namespace', undefined, namespace);
      const object = namespaceObject ?? pods[0].owner;
      const workloads = pods.slice(0, 3).map((t) => describeRef(refOf(t.owner))).join(', ') + (pods.length > 3 ? `, and ${pods.length - 3} more` : '');
      report({
        object,
        path: ['metadata', 'name'],
        key: namespace,
        messageId: notes.length ? 'noDefaultDenyAllowAll' : 'noDefaultDeny',
        data: { namespace, workloads, directions: missing.join(' and '), notes: notes.join('; ') },
        fix: defaultDenySnippet(namespace),
      });
    }
  },
});
