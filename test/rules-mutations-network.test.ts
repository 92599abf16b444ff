// Cases that pin behaviour the other network tests left open (found by mutation testing: each case here fails when
// one specific detail of NetworkPolicy evaluation is wrong).
import { describe, expect, it } from 'vitest';
import { objectsFromYaml, ruleTester } from '../tools/lib/core/rule-tester.ts';
import { ClusterGraph } from '../tools/lib/core/graph.ts';
import { evaluateConnection } from '../tools/lib/network/evaluate.ts';
import { dependencyEdges } from '../tools/lib/network/dependencies.ts';
import { serviceReferences } from '../tools/lib/ports/service-refs.ts';
import { connectivityOf } from '../tools/lib/network/connectivity.ts';
import defaultDeny from '../policies/network-default-deny.ts';
import dnsEgress from '../policies/network-dns-egress.ts';
import serviceIngress from '../policies/network-service-ingress.ts';
import { denyAllPolicy, networkPolicy } from './helpers/manifests.ts';

const pod = (namespace: string, name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace}, labels: { app: ${name} } }
spec:
${spec}
---
`;

function verdict(yaml: string, port: number) {
  const graph = new ClusterGraph('test', objectsFromYaml(yaml));
  const find = (name: string) => graph.podTemplates.find((t) => t.owner.metadata.name === name)!;
  return evaluateConnection(graph, { from: find('client'), to: find('db'), port });
}

describe('NetworkPolicy port matching', () => {
  const client = pod('shop', 'client', '  containers: [{ name: client, image: c:1 }]');
  const onlyMetrics = networkPolicy('shop', 'db-metrics', `  podSelector: { matchLabels: { app: db } }
  ingress:
    - ports: [{ port: metrics }]`);

  it('a named port resolves on a restartable init container (sidecar)', () => {
    const db = pod('shop', 'db', `  initContainers:
    - { name: exporter, image: e:1, restartPolicy: Always, ports: [{ name: metrics, containerPort: 9102 }] }
  containers: [{ name: db, image: db:1 }]`);
    const result = verdict(client + db + onlyMetrics, 9102);
    expect(result.allowed).toBe(true);
    expect(result.ingress.allowedBy).toEqual(['shop/db-metrics']);
  });

  it('a named port does not resolve on an ordinary init container, which has exited', () => {
    const db = pod('shop', 'db', `  initContainers:
    - { name: exporter, image: e:1, ports: [{ name: metrics, containerPort: 9102 }] }
  containers: [{ name: db, image: db:1 }]`);
    const result = verdict(client + db + onlyMetrics, 9102);
    expect(result.allowed).toBe(false);
    expect(result.ingress.isolatedBy).toEqual(['shop/db-metrics']);
  });

  it('ports: [] matches every port, like a missing ports list', () => {
    const db = pod('shop', 'db', '  containers: [{ name: db, image: db:1 }]');
    const policy = networkPolicy('shop', 'db-any-port', `  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ podSelector: {} }]
      ports: []`);
    const result = verdict(client + db + policy, 1234);
    expect(result.allowed).toBe(true);
    expect(result.ingress.allowedBy).toEqual(['shop/db-any-port']);
  });
});

ruleTester(defaultDeny, {
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
      yaml: pod('shop', 'web', '  containers: [{ name: web, image: web:1 }]') + networkPolicy('shop', 'default-deny', `  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - {}`),
      findings: [{ object: 'Pod shop/web', path: 'metadata.name', line: 3, message: 'denies ingress by default (shop/default-deny selects all pods but allows all ingress)' }],
    },
  ],
});

// The cluster DNS pod, 6 lines.
const coreDns = `apiVersion: v1
kind: Pod
metadata: { name: coredns, namespace: kube-system, labels: { k8s-app: kube-dns } }
spec:
  containers: [{ name: coredns, image: coredns:1 }]
---
`;

ruleTester(dnsEgress, {
  valid: [
    {
      name: 'the DNS servers themselves are not checked',
      yaml: coreDns + denyAllPolicy('kube-system'),
    },
  ],
  invalid: [
    {
      name: 'other pods in the DNS namespace are',
      yaml: coreDns + pod('kube-system', 'agent', '  containers: [{ name: agent, image: a:1 }]') + denyAllPolicy('kube-system'),
      findings: [{ object: 'Pod kube-system/agent', path: 'metadata.labels', line: 9, message: 'Pod kube-system/agent is isolated for egress by kube-system/default-deny but may not reach cluster DNS' }],
    },
  ],
});

const web = pod('shop', 'web', '  containers: [{ name: web, image: web:1, ports: [{ containerPort: 8080 }] }]');
const admit80 = networkPolicy('shop', 'web-80', `  podSelector: { matchLabels: { app: web } }
  ingress:
    - ports: [{ port: 80 }]`);

ruleTester(serviceIngress, {
  valid: [
    {
      name: 'an ExternalName Service routes to no pods, whatever its selector says',
      yaml: web + admit80 + `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  type: ExternalName
  externalName: web.example.com
  selector: { app: web }
  ports: [{ port: 8080 }]
`,
    },
  ],
  invalid: [
    {
      name: 'a targetPort written as a numeric string is that port number',
      yaml: web + admit80 + `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: "8080" }]
`,
      findings: [{ object: 'Service shop/web', path: 'spec.ports[0]', line: 22, message: 'Service shop/web port 80 can never be reached: Pod shop/web is isolated for ingress by shop/web-80 and no policy admits 8080/TCP from any peer' }],
    },
  ],
});

describe('dependencyEdges', () => {
  const edgesOf = (yaml: string) => {
    const graph = new ClusterGraph('test', objectsFromYaml(yaml));
    return dependencyEdges(graph, serviceReferences(graph)).map((e) => `${e.consumer.owner.metadata.name} -> ${e.service.metadata.name}:${e.servicePort.port}`);
  };
  const caller = (address: string) => `apiVersion: v1
kind: Pod
metadata: { name: caller, namespace: shop }
spec:
  containers: [{ name: caller, image: c:1, env: [{ name: TARGET, value: "${address}" }] }]
---
`;
  const api = pod('shop', 'api', '  containers: [{ name: api, image: a:1 }]');

  it('an address without port picks the Service port only when there is exactly one', () => {
    const service = (ports: string) => `apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  selector: { app: api }
  ports: ${ports}
---
`;
    expect(edgesOf(caller('api.shop.svc') + api + service('[{ name: http, port: 80 }]'))).toEqual(['caller -> api:80']);
    expect(edgesOf(caller('api.shop.svc') + api + service('[{ name: http, port: 80 }, { name: admin, port: 9000 }]'))).toEqual([]);
  });

  it('an ExternalName Service is no edge', () => {
    expect(edgesOf(caller('ext.shop.svc:443') + `apiVersion: v1
kind: Service
metadata: { name: ext, namespace: shop }
spec:
  type: ExternalName
  externalName: api.example.com
  ports: [{ port: 443 }]
`)).toEqual([]);
  });
});

describe('connectivityOf external peers', () => {
  it('an ipBlock peer mixed with a selector is invalid and opens nothing to the outside', () => {
    const yaml = pod('shop', 'web', '  containers: [{ name: web, image: web:1 }]') + networkPolicy('shop', 'web-egress', `  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock: { cidr: 10.0.0.0/8 }
          podSelector: {}
        - ipBlock: { cidr: 192.168.0.0/16 }`);
    const edges = connectivityOf(new ClusterGraph('test', objectsFromYaml(yaml))).filter((e) => e.from === 'Pod shop/web');
    expect(edges).toEqual([{ from: 'Pod shop/web', to: 'ipBlock 192.168.0.0/16', port: '*', protocol: '*' }]);
  });
});
