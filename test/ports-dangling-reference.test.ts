import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/ports-dangling-reference.ts';
import { orchestratorGrpcService } from './helpers/manifests.ts';

// 24 lines: Namespaces fleet and ray, Service fleet/orchestrator on 50055, Service ray/vllm on 8000.
const services = `apiVersion: v1
kind: Namespace
metadata: { name: fleet }
---
apiVersion: v1
kind: Namespace
metadata: { name: ray }
---
${orchestratorGrpcService}apiVersion: v1
kind: Service
metadata: { name: vllm, namespace: ray }
spec:
  selector: { app: vllm }
  ports: [{ name: http, port: 8000 }]
---
`;
// The workload starts at line 25; its env list at line 36.
const client = (env: string, annotations = '') => `${services}apiVersion: apps/v1
kind: Deployment
metadata:
  name: monitoring
  namespace: fleet${annotations}
spec:
  template:
    spec:
      containers:
        - name: monitoring
          env:
${env}`;

// The registry ConfigMap (ORCHESTRATOR_ADDRESS on line 5) and the client reading it through configMapKeyRef.
const readsRegistry = (port: number) => `apiVersion: v1
kind: ConfigMap
metadata: { name: service-ports, namespace: fleet }
data:
  ORCHESTRATOR_ADDRESS: "orchestrator.fleet.svc.cluster.local:${port}"
---
${client(`            - name: ORCHESTRATOR_ADDRESS
              valueFrom: { configMapKeyRef: { name: service-ports, key: ORCHESTRATOR_ADDRESS } }
`)}`;

const headless = `apiVersion: v1
kind: Service
metadata: { name: db, namespace: fleet }
spec:
  clusterIP: None
  selector: { app: db }
  ports: [{ name: pg, port: 5432 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: fleet }
spec:
  serviceName: db
  template:
    metadata: { labels: { app: db } }
    spec:
      containers:
        - name: db
          ports: [{ name: pg, containerPort: 5432 }, { name: metrics, containerPort: 9187 }]
---
`;

ruleTester(rule, {
  valid: [
    {
      name: 'every short and long form on the exposed port',
      yaml: client(`            - { name: A, value: "orchestrator:50055" }
            - { name: B, value: "orchestrator.fleet:50055" }
            - { name: C, value: "grpc://orchestrator.fleet.svc:50055" }
            - { name: D, value: "orchestrator.fleet.svc.cluster.local:50055" }
            - { name: E, value: "orchestrator" }
`),
    },
    {
      name: 'Service in another namespace',
      yaml: client(`            - { name: VLLM, value: "http://vllm.ray.svc.cluster.local:8000/v1" }
            - { name: VLLM_SHORT, value: "http://vllm.ray:8000" }
`),
    },
    {
      name: 'ExternalName Services are never dangling, whatever the port',
      yaml: `apiVersion: v1
kind: Service
metadata: { name: payments, namespace: fleet }
spec:
  type: ExternalName
  externalName: payments.example.com
---
${client(`            - { name: PAY, value: "https://payments:8443" }
`).replace(/^/, '')}`,
    },
    {
      name: 'headless Service reached per pod on a container port',
      yaml: headless + client(`            - { name: DB, value: "db-0.db.fleet.svc.cluster.local:5432" }
            - { name: METRICS, value: "db-0.db:9187" }
            - { name: ANY, value: "db:5432" }
`),
    },
    {
      name: 'external domains and ignored namespaces are not checked',
      yaml: client(`            - { name: API, value: "https://api.example.com:8443" }
            - { name: SITE, value: "example.com:80" }
            - { name: DNS, value: "kube-dns.kube-system.svc:53" }
            - { name: LOCAL, value: "localhost:9000" }
`),
    },
    {
      name: 'registry read through configMapKeyRef, right port',
      yaml: readsRegistry(50055),
    },
  ],
  invalid: [
    {
      name: 'seed 000: orchestrator:50052 while the Service listens on 50055',
      yaml: client(`            - name: ORCHESTRATOR_ADDRESS
              value: orchestrator:50052
`),
      findings: [
        {
          object: 'Deployment fleet/monitoring',
          path: 'spec.template.spec.containers[0].env[0].value',
          line: 37,
          message: 'Deployment fleet/monitoring env ORCHESTRATOR_ADDRESS dials "orchestrator:50052", but Service fleet/orchestrator exposes 50055/TCP (grpc), not 50052',
        },
      ],
    },
    {
      name: 'a Service that does not exist, in this and another namespace',
      yaml: client(`            - { name: A, value: "planning:50053" }
            - { name: B, value: "planning.ray.svc:50053" }
            - { name: C, value: "nats://nats.messaging.svc.cluster.local:4222" }
`),
      findings: [
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[0].value', line: 36, message: 'cluster test has no Service planning in namespace fleet' },
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[1].value', line: 37, message: 'no Service planning in namespace ray' },
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[2].value', line: 38, message: 'no Service nats in namespace messaging' },
      ],
    },
    {
      name: 'wrong port on a Service in another namespace; http without a port means 80',
      yaml: client(`            - { name: A, value: "vllm.ray:8080" }
            - { name: B, value: "http://vllm.ray.svc/v1" }
`),
      findings: [
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[0].value', line: 36, message: 'Service ray/vllm exposes 8000/TCP (http), not 8080' },
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[1].value', line: 37, message: 'Service ray/vllm exposes 8000/TCP (http), not 80' },
      ],
    },
    {
      name: 'the registry itself points at the wrong port: reported where it is written',
      yaml: readsRegistry(50052),
      findings: [{ object: 'ConfigMap fleet/service-ports', path: 'data.ORCHESTRATOR_ADDRESS', line: 5, message: 'ConfigMap fleet/service-ports key ORCHESTRATOR_ADDRESS dials "orchestrator.fleet.svc.cluster.local:50052"' }],
    },
    {
      name: 'headless Service on a port neither it nor its pods expose',
      yaml: headless + client(`            - { name: DB, value: "db-0.db:6432" }
`),
      findings: [{ object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[0].value', line: 56, message: 'Service fleet/db exposes 5432/TCP (pg), not 6432' }],
    },
    {
      name: 'depends-on annotation and args',
      yaml: client(`            - { name: X, value: "1" }
          args: ["--upstream=http://orchestrator:8080"]
`, `
  annotations:
    policy-check.dev/depends-on: "orchestrator.fleet:50055, context.fleet:50054"`),
      findings: [
        { object: 'Deployment fleet/monitoring', path: 'metadata.annotations["policy-check.dev/depends-on"]', line: 31, message: 'no Service context in namespace fleet' },
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].args[0]', line: 39, message: 'Deployment fleet/monitoring args dials "http://orchestrator:8080"' },
      ],
    },
  ],
});

describe('ports/dangling-reference names both ends', () => {
  it('relates the Service and, for ConfigMap values, the workloads that read them', () => {
    const [finding] = runRule(rule, {
      name: 'both ends',
      yaml: readsRegistry(50052),
    });
    expect(finding.related).toEqual([
      { message: 'Service fleet/orchestrator exposes 50055/TCP (grpc)', object: expect.objectContaining({ kind: 'Service', name: 'orchestrator' }), location: expect.objectContaining({ file: 'case.yaml', line: 22 }) },
      { message: 'read by Deployment fleet/monitoring', object: expect.objectContaining({ kind: 'Deployment', name: 'monitoring' }), location: expect.objectContaining({ line: 42 }) },
    ]);
    expect(finding.fix).toBe('"orchestrator.fleet.svc.cluster.local:50055"');
  });
});
