import { describe, expect, it } from 'vitest';
import { ClusterGraph } from '../tools/lib/core/graph.ts';
import { evaluateConnection } from '../tools/lib/network/evaluate.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';

const pods = `apiVersion: v1
kind: Pod
metadata: { name: client, namespace: other, labels: { app: client } }
spec: { containers: [{ name: c, image: c:1 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: near, namespace: shop, labels: { app: client } }
spec: { containers: [{ name: c, image: c:1 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: db, namespace: shop, labels: { app: db } }
spec: { containers: [{ name: db, image: db:1, ports: [{ containerPort: 5432 }] }] }
---
`;

const policy = (peer: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from:
        - ${peer}
`;

function allowed(peer: string, from: string): boolean {
  const graph = new ClusterGraph('t', objectsFromYaml(pods + policy(peer)));
  const pod = (name: string) => graph.podTemplates.find((t) => t.owner.metadata.name === name)!;
  return evaluateConnection(graph, { from: pod(from), to: pod('db'), port: 5432, protocol: 'TCP' }).allowed;
}

describe('null selectors in NetworkPolicy peers', () => {
  it('`namespaceSelector:` with no value is unset: the peer admits its pods in the policy\'s namespace only', () => {
    const peer = 'podSelector: { matchLabels: { app: client } }\n          namespaceSelector:';
    expect(allowed(peer, 'near')).toBe(true);
    expect(allowed(peer, 'client')).toBe(false);
  });

  it('`namespaceSelector: {}` is set and empty: every namespace', () => {
    const peer = 'podSelector: { matchLabels: { app: client } }\n          namespaceSelector: {}';
    expect(allowed(peer, 'client')).toBe(true);
  });

  it('a peer of only `podSelector:` with no value sets nothing, which the API server rejects: it admits nobody', () => {
    expect(allowed('podSelector:', 'near')).toBe(false);
  });
});
