import { describe, it, expect } from 'vitest';
import { ClusterGraph, type PodTemplate } from '../tools/lib/core/graph.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';
import { effectivePolicyTypes } from '../tools/lib/network/policy.ts';
import { evaluateConnection } from '../tools/lib/network/evaluate.ts';
import { dependencyEdges } from '../tools/lib/network/dependencies.ts';
import { connectivityOf } from '../tools/lib/network/connectivity.ts';
import { serviceReferences } from '../tools/lib/ports/service-refs.ts';
import { virtualDnsPod } from '../tools/lib/network/dns.ts';
import { networkPolicy } from './helpers/manifests.ts';

function graphOf(yaml: string): ClusterGraph {
  return new ClusterGraph('test', objectsFromYaml(yaml));
}

function pod(graph: ClusterGraph, namespace: string, name: string): PodTemplate {
  const found = graph.podTemplates.find((t) => t.namespace === namespace && t.owner.metadata.name === name);
  if (!found) throw new Error(`no pod ${namespace}/${name}`);
  return found;
}

function podYaml(namespace: string, name: string, labels: Record<string, string>, ports = '') {
  const labelLines = Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"`).join('\n');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
${labelLines}
spec:
  containers:
    - name: main
      image: example/${name}:1
${ports}
---
`;
}

const webPorts = `      ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
        - name: dns
          containerPort: 5353
          protocol: UDP`;

/** shop: web (app=web,tier=frontend), api (app=api,tier=backend); ops: probe (app=probe); Namespace ops is labelled team=ops. */
const pods =
  `apiVersion: v1
kind: Namespace
metadata:
  name: ops
  labels:
    team: ops
---
` +
  podYaml('shop', 'web', { app: 'web', tier: 'frontend' }, webPorts) +
  podYaml('shop', 'api', { app: 'api', tier: 'backend' }, `      ports:
        - name: http
          containerPort: 3000`) +
  podYaml('ops', 'probe', { app: 'probe' }) +
  podYaml('lab', 'tool', { app: 'probe' });

const policy = networkPolicy;

const ingressToWeb = (from: string, ports = '') =>
  policy('shop', 'web-in', `  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
  ingress:
    - from:
${from}${ports}`);

function verdict(yaml: string, from: [string, string] | { ip: string }, to: [string, string] | { ip: string }, port: number, protocol?: 'TCP' | 'UDP' | 'SCTP') {
  const graph = graphOf(yaml);
  const end = (e: [string, string] | { ip: string }) => (Array.isArray(e) ? pod(graph, e[0], e[1]) : e);
  return evaluateConnection(graph, { from: end(from), to: end(to), port, protocol });
}

describe('evaluateConnection: isolation', () => {
  it('without any policy every connection is allowed and nothing is isolated', () => {
    const v = verdict(pods, ['shop', 'api'], ['shop', 'web'], 8080);
    expect(v).toEqual({
      allowed: true,
      egress: { isolated: false, allowed: true, isolatedBy: [], allowedBy: [] },
      ingress: { isolated: false, allowed: true, isolatedBy: [], allowedBy: [] },
    });
  });

  it('a policy with an empty ingress list isolates the pods it selects and allows nothing', () => {
    const yaml = pods + policy('shop', 'deny', `  podSelector: {}
  policyTypes: [Ingress]`);
    const v = verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080);
    expect(v.allowed).toBe(false);
    expect(v.ingress).toEqual({ isolated: true, allowed: false, isolatedBy: ['shop/deny'], allowedBy: [] });
    expect(v.egress.isolated).toBe(false);
  });

  it('a policy only isolates pods its podSelector selects, in its own namespace', () => {
    const yaml = pods + policy('shop', 'deny-web', `  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]`);
    expect(verdict(yaml, ['shop', 'web'], ['shop', 'api'], 3000).allowed).toBe(true);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080).allowed).toBe(false);
    // ops/probe has app=probe, never app=web, and lab/tool is in another namespace anyway
    expect(verdict(yaml, ['shop', 'web'], ['ops', 'probe'], 80).allowed).toBe(true);
  });

  it('podSelector matchExpressions decide which pods are isolated', () => {
    const yaml = pods + policy('shop', 'deny-not-frontend', `  podSelector:
    matchExpressions:
      - key: tier
        operator: NotIn
        values: [frontend]
  policyTypes: [Ingress]`);
    expect(verdict(yaml, ['shop', 'web'], ['shop', 'api'], 3000).ingress.isolated).toBe(true);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080).ingress.isolated).toBe(false);
  });

  it('a connection needs egress at the source and ingress at the destination', () => {
    const yaml =
      pods +
      policy('shop', 'api-egress-deny', `  podSelector:
    matchLabels:
      app: api
  policyTypes: [Egress]`) +
      ingressToWeb(`        - podSelector:
            matchLabels:
              app: api
`);
    const v = verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080);
    expect(v.allowed).toBe(false);
    expect(v.ingress).toEqual({ isolated: true, allowed: true, isolatedBy: ['shop/web-in'], allowedBy: ['shop/web-in'] });
    expect(v.egress).toEqual({ isolated: true, allowed: false, isolatedBy: ['shop/api-egress-deny'], allowedBy: [] });
  });

  it('allows are a union across every policy selecting the pod', () => {
    const yaml =
      pods +
      policy('shop', 'from-api', `  podSelector: {}
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: api`) +
      policy('shop', 'from-ops', `  podSelector:
    matchLabels:
      tier: frontend
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              team: ops`);
    const fromApi = verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080);
    expect(fromApi.ingress).toEqual({ isolated: true, allowed: true, isolatedBy: ['shop/from-api', 'shop/from-ops'], allowedBy: ['shop/from-api'] });
    const fromOps = verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 8080);
    expect(fromOps.ingress.allowedBy).toEqual(['shop/from-ops']);
    expect(verdict(yaml, ['lab', 'tool'], ['shop', 'web'], 8080).allowed).toBe(false);
  });
});

describe('evaluateConnection: policyTypes defaulting', () => {
  it('without policyTypes a policy isolates ingress only, unless it has egress rules', () => {
    expect(effectivePolicyTypes({})).toEqual({ ingress: true, egress: false });
    expect(effectivePolicyTypes({ egress: [{}] })).toEqual({ ingress: true, egress: true });
    expect(effectivePolicyTypes({ egress: [] })).toEqual({ ingress: true, egress: false });
    expect(effectivePolicyTypes({ policyTypes: ['Egress'], ingress: [{}] })).toEqual({ ingress: false, egress: true });
  });

  it('egress rules without policyTypes isolate egress and also ingress', () => {
    const yaml = pods + policy('shop', 'api-out', `  podSelector:
    matchLabels:
      app: api
  egress:
    - ports:
        - port: 8080`);
    const v = verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080);
    expect(v.allowed).toBe(true);
    expect(v.egress).toEqual({ isolated: true, allowed: true, isolatedBy: ['shop/api-out'], allowedBy: ['shop/api-out'] });
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 9090).allowed).toBe(false);
    expect(verdict(yaml, ['shop', 'web'], ['shop', 'api'], 3000).ingress).toEqual({ isolated: true, allowed: false, isolatedBy: ['shop/api-out'], allowedBy: [] });
  });

  it('ingress rules of a policy typed Egress only are ignored', () => {
    const yaml = pods + policy('shop', 'egress-only', `  podSelector: {}
  policyTypes: [Egress]
  ingress:
    - {}`);
    const v = verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080);
    expect(v.ingress.isolated).toBe(false);
    expect(v.egress).toEqual({ isolated: true, allowed: false, isolatedBy: ['shop/egress-only'], allowedBy: [] });
  });
});

describe('evaluateConnection: peers', () => {
  it('a podSelector peer alone means pods of the policy namespace only', () => {
    const yaml = pods + ingressToWeb(`        - podSelector:
            matchLabels:
              app: probe
`);
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 8080).allowed).toBe(false);
    expect(verdict(yaml, ['lab', 'tool'], ['shop', 'web'], 8080).allowed).toBe(false);
  });

  it('a namespaceSelector alone means every pod of the selected namespaces, by rendered Namespace labels', () => {
    const yaml = pods + ingressToWeb(`        - namespaceSelector:
            matchLabels:
              team: ops
`);
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 8080).allowed).toBe(true);
    // lab is not rendered as a Namespace, so it has no team label
    expect(verdict(yaml, ['lab', 'tool'], ['shop', 'web'], 8080).allowed).toBe(false);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080).allowed).toBe(false);
  });

  it('namespaceSelector sees the automatic kubernetes.io/metadata.name label, even for namespaces not rendered', () => {
    const yaml = pods + ingressToWeb(`        - namespaceSelector:
            matchExpressions:
              - key: kubernetes.io/metadata.name
                operator: In
                values: [lab]
`);
    expect(verdict(yaml, ['lab', 'tool'], ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 8080).allowed).toBe(false);
  });

  it('an empty namespaceSelector means every namespace', () => {
    const yaml = pods + ingressToWeb(`        - namespaceSelector: {}
          podSelector:
            matchLabels:
              app: probe
`);
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, ['lab', 'tool'], ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080).allowed).toBe(false);
  });

  it('namespaceSelector and podSelector in one peer must both match (AND)', () => {
    const yaml = pods + ingressToWeb(`        - namespaceSelector:
            matchLabels:
              team: ops
          podSelector:
            matchLabels:
              app: api
`);
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 8080).allowed).toBe(false);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080).allowed).toBe(false);
  });

  it('namespaceSelector and podSelector as two peers match either (OR)', () => {
    const yaml = pods + ingressToWeb(`        - namespaceSelector:
            matchLabels:
              team: ops
        - podSelector:
            matchLabels:
              app: api
`);
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, ['lab', 'tool'], ['shop', 'web'], 8080).allowed).toBe(false);
  });

  it('ipBlock admits addresses in the CIDR except the excepted ranges, and never a rendered pod', () => {
    const yaml = pods + ingressToWeb(`        - ipBlock:
            cidr: 10.0.0.0/8
            except:
              - 10.96.0.0/12
`);
    expect(verdict(yaml, { ip: '10.1.2.3' }, ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, { ip: '10.100.0.1' }, ['shop', 'web'], 8080).allowed).toBe(false);
    expect(verdict(yaml, { ip: '192.168.0.1' }, ['shop', 'web'], 8080).allowed).toBe(false);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080).allowed).toBe(false);
  });

  it('egress ipBlock works for external destinations, and the far side of an address is never isolated', () => {
    const yaml = pods + policy('shop', 'api-out', `  podSelector:
    matchLabels:
      app: api
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except: [169.254.169.254/32]
      ports:
        - port: 443`);
    const v = verdict(yaml, ['shop', 'api'], { ip: '140.82.112.3' }, 443);
    expect(v).toEqual({
      allowed: true,
      egress: { isolated: true, allowed: true, isolatedBy: ['shop/api-out'], allowedBy: ['shop/api-out'] },
      ingress: { isolated: false, allowed: true, isolatedBy: [], allowedBy: [] },
    });
    expect(verdict(yaml, ['shop', 'api'], { ip: '169.254.169.254' }, 443).allowed).toBe(false);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 443).allowed).toBe(false);
  });

  it('a rule without peers admits every source, addresses included', () => {
    const yaml = pods + policy('shop', 'web-open', `  podSelector:
    matchLabels:
      app: web
  ingress:
    - ports:
        - port: 8080`);
    expect(verdict(yaml, { ip: '203.0.113.5' }, ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, ['lab', 'tool'], ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, ['lab', 'tool'], ['shop', 'web'], 9090).allowed).toBe(false);
  });

  it('a peer the API server would reject (ipBlock mixed with a selector) matches nothing', () => {
    const yaml = pods + ingressToWeb(`        - ipBlock:
            cidr: 0.0.0.0/0
          podSelector: {}
`);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080).allowed).toBe(false);
    expect(verdict(yaml, { ip: '10.0.0.1' }, ['shop', 'web'], 8080).allowed).toBe(false);
  });
});

describe('evaluateConnection: ports and protocols', () => {
  const fromApi = `        - podSelector:
            matchLabels:
              app: api
`;
  it('a numeric port admits that port over TCP by default', () => {
    const yaml = pods + ingressToWeb(fromApi, `      ports:
        - port: 8080
`);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080, 'UDP').allowed).toBe(false);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 9090).allowed).toBe(false);
  });

  it('a port without a number admits every port of its protocol', () => {
    const yaml = pods + ingressToWeb(fromApi, `      ports:
        - protocol: UDP
`);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 5353, 'UDP').allowed).toBe(true);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 5353, 'TCP').allowed).toBe(false);
  });

  it('a rule without ports admits every port and protocol', () => {
    const yaml = pods + ingressToWeb(fromApi);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 1, 'SCTP').allowed).toBe(true);
  });

  it('endPort admits the inclusive range', () => {
    const yaml = pods + ingressToWeb(fromApi, `      ports:
        - port: 8000
          endPort: 8080
`);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8000).allowed).toBe(true);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 8081).allowed).toBe(false);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 7999).allowed).toBe(false);
  });

  it('a named port resolves against the destination container ports, protocol included', () => {
    const yaml = pods + policy('shop', 'http-in', `  podSelector: {}
  ingress:
    - ports:
        - port: http
        - port: dns
          protocol: UDP`);
    // web calls 8080 "http", api calls 3000 "http"
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 8080).allowed).toBe(true);
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 3000).allowed).toBe(false);
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'api'], 3000).allowed).toBe(true);
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'api'], 8080).allowed).toBe(false);
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 5353, 'UDP').allowed).toBe(true);
    // "dns" is a UDP name; the policy entry defaults to TCP for http, so http over UDP is no match
    expect(verdict(yaml, ['ops', 'probe'], ['shop', 'web'], 8080, 'UDP').allowed).toBe(false);
  });

  it('a named port in an egress rule resolves against the destination, not the source', () => {
    const yaml = pods + policy('shop', 'api-out', `  podSelector:
    matchLabels:
      app: api
  policyTypes: [Egress]
  egress:
    - ports:
        - port: metrics`);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 9090).allowed).toBe(true);
    expect(verdict(yaml, ['shop', 'api'], ['shop', 'web'], 3000).allowed).toBe(false);
    // an address outside the pods has no port names
    expect(verdict(yaml, ['shop', 'api'], { ip: '10.0.0.1' }, 9090).allowed).toBe(false);
  });
});

describe('evaluateConnection: cluster DNS', () => {
  it('the stand-in DNS pod carries the kube-dns labels and named ports in kube-system', () => {
    const dns = virtualDnsPod();
    const yaml = pods + policy('shop', 'dns', `  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: dns
          protocol: UDP
        - port: 53
          protocol: TCP`);
    const graph = graphOf(yaml);
    const api = pod(graph, 'shop', 'api');
    expect(evaluateConnection(graph, { from: api, to: dns, port: 53, protocol: 'UDP' }).allowed).toBe(true);
    expect(evaluateConnection(graph, { from: api, to: dns, port: 53, protocol: 'TCP' }).allowed).toBe(true);
    expect(evaluateConnection(graph, { from: api, to: dns, port: 5353, protocol: 'UDP' }).allowed).toBe(false);
  });
});

// Found by mutation testing: each case fails when one specific detail of NetworkPolicy evaluation is wrong.
describe('network library details', () => {
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
});
