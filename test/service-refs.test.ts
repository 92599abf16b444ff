import { describe, it, expect } from 'vitest';
import { ClusterGraph } from '../tools/lib/core/graph.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';
import { inClusterTarget, parseAddress, serviceReferences } from '../tools/lib/ports/service-refs.ts';

function graphOf(text: string): ClusterGraph {
  return new ClusterGraph('test', objectsFromYaml(text));
}

describe('parseAddress', () => {
  it.each([
    ['orchestrator:50055', { host: 'orchestrator', port: 50055 }],
    ['orchestrator.swe-ai-fleet.svc.cluster.local:50055', { host: 'orchestrator.swe-ai-fleet.svc.cluster.local', port: 50055 }],
    ['nats://nats.swe-ai-fleet.svc.cluster.local:4222', { scheme: 'nats', host: 'nats.swe-ai-fleet.svc.cluster.local', port: 4222 }],
    ['http://vllm:8000/v1/models?x=1', { scheme: 'http', host: 'vllm', port: 8000, path: '/v1/models?x=1' }],
    ['redis://:secret@valkey:6379/0', { scheme: 'redis', host: 'valkey', port: 6379, path: '/0' }],
    ['https://api.example.com', { scheme: 'https', host: 'api.example.com' }],
    ['orchestrator', { host: 'orchestrator' }],
    ['10.0.0.1:8080', { host: '10.0.0.1', port: 8080 }],
    ['[::1]:9090', { host: '::1', port: 9090 }],
    ['HTTP://Web:80', { scheme: 'http', host: 'Web', port: 80 }],
    // gRPC target names (grpc/doc/naming.md): dns:[//authority/]host[:port]
    ['dns:///orchestrator.fleet.svc.cluster.local:50055', { scheme: 'dns', host: 'orchestrator.fleet.svc.cluster.local', port: 50055 }],
    ['dns://10.96.0.10/orchestrator.fleet:50055', { scheme: 'dns', host: 'orchestrator.fleet', port: 50055 }],
    ['dns:orchestrator:50055', { scheme: 'dns', host: 'orchestrator', port: 50055 }],
    ['dns:///orchestrator', { scheme: 'dns', host: 'orchestrator' }],
    ['grpc://ray-executor.fleet.svc:50056', { scheme: 'grpc', host: 'ray-executor.fleet.svc', port: 50056 }],
    ['ray://ray-gpu-head-svc.ray.svc.cluster.local:10001', { scheme: 'ray', host: 'ray-gpu-head-svc.ray.svc.cluster.local', port: 10001 }],
  ])('parses %s', (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });

  it.each(['', '8080', '3.13', '2.49.2', '12:30', 'nginx:1.25', 'Qwen/Qwen3-0.6B', 'host:0', 'host:65536', 'host:80x', 'a b:80', 'http://:80', '/var/run/x.sock', 'dns:///', 'dns:///a/b:1'])(
    'rejects %j',
    (text) => {
      expect(parseAddress(text)).toBeUndefined();
    },
  );
});

describe('inClusterTarget', () => {
  it.each([
    ['orchestrator', { name: 'orchestrator', namespace: 'fleet', form: 'name' }],
    ['orchestrator.other', { name: 'orchestrator', namespace: 'other', form: 'name.namespace' }],
    ['orchestrator.other.svc', { name: 'orchestrator', namespace: 'other', form: 'svc' }],
    ['orchestrator.other.svc.cluster.local', { name: 'orchestrator', namespace: 'other', form: 'fqdn' }],
    ['orchestrator.other.svc.cluster.local.', { name: 'orchestrator', namespace: 'other', form: 'fqdn' }],
    ['Orchestrator.Other.SVC', { name: 'orchestrator', namespace: 'other', form: 'svc' }],
    ['db-0.db.data.svc.cluster.local', { name: 'db', namespace: 'data', hostname: 'db-0', form: 'fqdn' }],
  ])('%s', (host, expected) => {
    expect(inClusterTarget(host, 'fleet')).toEqual(expected);
  });

  it.each(['localhost', '10.0.0.1', '::1', 'api.example.com', 'a.b.c.d.e', 'svc.cluster.local', 'under_score', '1abc'])('%s is not in-cluster', (host) => {
    expect(inClusterTarget(host, 'fleet')).toBeUndefined();
  });
});

const CLUSTER = `
apiVersion: v1
kind: Namespace
metadata: { name: fleet }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: service-ports, namespace: fleet }
data:
  ORCHESTRATOR_PORT: "50055"
  ORCHESTRATOR_ADDRESS: "orchestrator.fleet.svc.cluster.local:50055"
  EXTERNAL_ADDRESS: "api.example.com:443"
  LOG_LEVEL: info
  app.yaml: |
    upstream: http://vllm.ray.svc:8000/v1
    image: redis:7
---
apiVersion: v1
kind: Service
metadata: { name: db, namespace: fleet }
spec:
  clusterIP: None
  ports: [{ port: 5432 }]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: monitoring
  namespace: fleet
  annotations:
    policy-check.dev/depends-on: "planning.fleet:50053, context"
spec:
  template:
    metadata: { labels: { app: monitoring } }
    spec:
      containers:
        - name: monitoring
          args: ["--nats=nats://nats:4222", "--verbose", "--out=$(HOST):80"]
          env:
            - name: ORCHESTRATOR_ADDRESS
              value: orchestrator:50052
            - name: DB
              value: db-0.db:5432
            - name: EXT
              value: example.com:443
            - name: FROM_REGISTRY
              valueFrom:
                configMapKeyRef: { name: service-ports, key: ORCHESTRATOR_ADDRESS }
            - name: NOT_AN_ADDRESS
              value: "debug"
          envFrom:
            - configMapRef: { name: service-ports }
`;

describe('serviceReferences', () => {
  const refs = serviceReferences(graphOf(CLUSTER));
  const summary = refs.map((r) => ({
    via: r.via,
    holder: `${r.holder.kind}/${r.holder.metadata.name}`,
    path: r.path.join('.'),
    consumerPath: r.consumerPath?.join('.'),
    raw: r.raw,
    target: r.target && `${r.target.hostname ? r.target.hostname + '@' : ''}${r.target.name}.${r.target.namespace}`,
  }));

  it('finds ConfigMap values, including addresses inside embedded config files', () => {
    expect(summary.filter((s) => s.via === 'configmap')).toEqual([
      { via: 'configmap', holder: 'ConfigMap/service-ports', path: 'data.ORCHESTRATOR_ADDRESS', consumerPath: undefined, raw: 'orchestrator.fleet.svc.cluster.local:50055', target: 'orchestrator.fleet' },
      { via: 'configmap', holder: 'ConfigMap/service-ports', path: 'data.EXTERNAL_ADDRESS', consumerPath: undefined, raw: 'api.example.com:443', target: undefined },
      { via: 'configmap', holder: 'ConfigMap/service-ports', path: 'data.app.yaml', consumerPath: undefined, raw: 'http://vllm.ray.svc:8000/v1', target: 'vllm.ray' },
    ]);
  });

  it('finds literal env values and resolves a.b against the cluster', () => {
    expect(summary.filter((s) => s.via === 'env-literal')).toEqual([
      { via: 'env-literal', holder: 'Deployment/monitoring', path: 'spec.template.spec.containers.0.env.0.value', consumerPath: 'spec.template.spec.containers.0.env.0.value', raw: 'orchestrator:50052', target: 'orchestrator.fleet' },
      // the pod's own namespace has a headless Service "db": the search path makes db-0.db a pod name
      { via: 'env-literal', holder: 'Deployment/monitoring', path: 'spec.template.spec.containers.0.env.1.value', consumerPath: 'spec.template.spec.containers.0.env.1.value', raw: 'db-0.db:5432', target: 'db-0@db.fleet' },
      // no namespace "com" in this cluster: an external name
      { via: 'env-literal', holder: 'Deployment/monitoring', path: 'spec.template.spec.containers.0.env.2.value', consumerPath: 'spec.template.spec.containers.0.env.2.value', raw: 'example.com:443', target: undefined },
    ]);
  });

  it('follows configMapKeyRef and envFrom to the ConfigMap and keeps the consumer', () => {
    expect(summary.filter((s) => s.via === 'configMapKeyRef')).toEqual([
      { via: 'configMapKeyRef', holder: 'ConfigMap/service-ports', path: 'data.ORCHESTRATOR_ADDRESS', consumerPath: 'spec.template.spec.containers.0.env.3', raw: 'orchestrator.fleet.svc.cluster.local:50055', target: 'orchestrator.fleet' },
    ]);
    const fromEnvFrom = summary.filter((s) => s.via === 'envFrom');
    expect(fromEnvFrom.map((s) => s.path)).toEqual(['data.ORCHESTRATOR_ADDRESS', 'data.EXTERNAL_ADDRESS', 'data.app.yaml']);
    expect(new Set(fromEnvFrom.map((s) => s.consumerPath))).toEqual(new Set(['spec.template.spec.containers.0.envFrom.0']));
    const consumer = refs.find((r) => r.via === 'envFrom')!.consumer!;
    expect(consumer.owner.metadata.name).toBe('monitoring');
  });

  it('reads --flag=value args and skips $(VAR) expansions', () => {
    expect(summary.filter((s) => s.via === 'args')).toEqual([
      { via: 'args', holder: 'Deployment/monitoring', path: 'spec.template.spec.containers.0.args.0', consumerPath: 'spec.template.spec.containers.0.args.0', raw: 'nats://nats:4222', target: 'nats.fleet' },
    ]);
  });

  it('reads the depends-on annotation, where a bare name is a dependency too', () => {
    expect(summary.filter((s) => s.via === 'annotation')).toEqual([
      { via: 'annotation', holder: 'Deployment/monitoring', path: 'metadata.annotations.policy-check.dev/depends-on', consumerPath: 'metadata.annotations.policy-check.dev/depends-on', raw: 'planning.fleet:50053', target: 'planning.fleet' },
      { via: 'annotation', holder: 'Deployment/monitoring', path: 'metadata.annotations.policy-check.dev/depends-on', consumerPath: 'metadata.annotations.policy-check.dev/depends-on', raw: 'context', target: 'context.fleet' },
    ]);
  });

  it('ignores words that are not dependencies', () => {
    expect(refs.some((r) => r.raw === 'debug' || r.raw === 'info' || r.raw.startsWith('redis:'))).toBe(false);
  });

  it('keeps the parsed address on every reference', () => {
    const ref = refs.find((r) => r.raw === 'orchestrator:50052')!;
    expect(ref.address).toEqual({ host: 'orchestrator', port: 50052 });
  });
});
