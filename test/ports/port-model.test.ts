// The one port model: which containers listen. The ports rules and the network rules ask the same function.
import { describe, expect, it } from 'vitest';
import { ClusterGraph } from '../../tools/lib/core/graph.ts';
import { objectsFromYaml } from '../../tools/lib/core/rule-tester.ts';
import { listeningPortsOf, parsePortNumber, servicePortsOf, targetPortOn } from '../../tools/lib/ports/port-model.ts';
import { connectivityOf } from '../../tools/lib/network/connectivity.ts';

const POD = `apiVersion: v1
kind: Pod
metadata: { name: db, namespace: shop, labels: { app: db } }
spec:
  initContainers:
    - name: migrate
      image: migrate:1.0
      ports: [{ containerPort: 9999 }]
    - name: proxy
      image: proxy:1.0
      restartPolicy: Always
      ports: [{ name: metrics, containerPort: 9102, protocol: tcp }]
  containers:
    - name: postgres
      image: postgres:16.4
      ports: [{ name: pg, containerPort: 5432 }]
`;

describe('port model', () => {
  const graph = new ClusterGraph('test', objectsFromYaml(POD));
  const [template] = graph.podTemplates;

  it('a plain init container does not listen; a sidecar and the app do', () => {
    expect(listeningPortsOf(template).map((p) => [p.container.name, p.containerPort, p.protocol, p.name])).toEqual([
      ['proxy', 9102, 'TCP', 'metrics'],
      ['postgres', 5432, 'TCP', 'pg'],
    ]);
  });

  it('connectivity sees the same ports', () => {
    const open = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-all, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{}]
`;
    const edges = connectivityOf(new ClusterGraph('test', objectsFromYaml(`${POD}---\n${open}`)));
    expect(edges.filter((e) => e.from === 'anywhere').map((e) => `${e.to} ${e.port}/${e.protocol}`)).toEqual(['Pod shop/db 5432/TCP', 'Pod shop/db 9102/TCP']);
  });

  it('named and numeric targetPorts resolve on the listening containers only', () => {
    const service = objectsFromYaml(`apiVersion: v1
kind: Service
metadata: { name: db, namespace: shop }
spec:
  selector: { app: db }
  ports:
    - { name: pg, port: 5432, targetPort: pg }
    - { name: metrics, port: 9102, targetPort: metrics, protocol: TCP }
    - { name: bad, port: "70000" }
    - { name: text, port: 80, targetPort: "8080" }
`)[0].object;
    const ports = servicePortsOf(service);
    expect(ports.map((p) => [p.name, p.port, p.targetPort])).toEqual([
      ['pg', 5432, 'pg'],
      ['metrics', 9102, 'metrics'],
      ['bad', undefined, undefined],
      ['text', 80, 8080],
    ]);
    expect(ports.map((p) => targetPortOn(p, template))).toEqual([5432, 9102, undefined, 8080]);
  });
});

describe('parsePortNumber bounds', () => {
  it('accepts 1..65535 and nothing outside', () => {
    expect(parsePortNumber(65535)).toBe(65535);
    expect(parsePortNumber('65535')).toBe(65535);
    expect(parsePortNumber(1)).toBe(1);
    expect(parsePortNumber(65536)).toBeUndefined();
    expect(parsePortNumber(0)).toBeUndefined();
  });
});
