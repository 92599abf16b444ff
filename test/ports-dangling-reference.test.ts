import { describe, expect, it } from 'vitest';
import { withMarkers, ruleTester, runRule, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/ports-dangling-reference.ts';
import { orchestratorGrpcService } from './helpers/manifests.ts';
import { shopWorkload } from './helpers/manifests.ts';
import { danglingDeclaredCases } from './network/declared-services.cases.ts';

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
    ...casesFoundByMutation().valid,
    ...danglingDeclaredCases.valid,
  ],
  invalid: [
    {
      name: 'seed 000: orchestrator:50052 while the Service listens on 50055',
      yaml: client(`            - name: ORCHESTRATOR_ADDRESS
              ⟦1⟧value: orchestrator:50052
`),
      findings: [
        { at: '1', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'wrongPort', data: { written: 'Deployment fleet/monitoring env ORCHESTRATOR_ADDRESS', address: 'orchestrator:50052', namespace: 'fleet', name: 'orchestrator', ports: '50055/TCP (grpc)', port: 50052 } },
      ],
    },
    {
      name: 'a Service that does not exist, in this and another namespace',
      yaml: client(`            - { name: A, ⟦1⟧value: "planning:50053" }
            - { name: B, ⟦2⟧value: "planning.ray.svc:50053" }
            - { name: C, ⟦3⟧value: "nats://nats.messaging.svc.cluster.local:4222" }
`),
      findings: [
        { at: '1', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'noService', data: { written: 'Deployment fleet/monitoring env A', address: 'planning:50053', cluster: 'test', name: 'planning', namespace: 'fleet' } },
        { at: '2', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[1].value', messageId: 'noService', data: { written: 'Deployment fleet/monitoring env B', address: 'planning.ray.svc:50053', cluster: 'test', name: 'planning', namespace: 'ray' } },
        { at: '3', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[2].value', messageId: 'noService', data: { written: 'Deployment fleet/monitoring env C', address: 'nats://nats.messaging.svc.cluster.local:4222', cluster: 'test', name: 'nats', namespace: 'messaging' } },
      ],
    },
    {
      name: 'wrong port on a Service in another namespace; http without a port means 80',
      yaml: client(`            - { name: A, ⟦1⟧value: "vllm.ray:8080" }
            - { name: B, ⟦2⟧value: "http://vllm.ray.svc/v1" }
`),
      findings: [
        { at: '1', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'wrongPort', data: { written: 'Deployment fleet/monitoring env A', address: 'vllm.ray:8080', namespace: 'ray', name: 'vllm', ports: '8000/TCP (http)', port: 8080 } },
        { at: '2', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[1].value', messageId: 'wrongPort', data: { written: 'Deployment fleet/monitoring env B', address: 'http://vllm.ray.svc/v1', namespace: 'ray', name: 'vllm', ports: '8000/TCP (http)', port: 80 } },
      ],
    },
    {
      name: 'the registry itself points at the wrong port: reported where it is written',
      yaml: withMarkers(readsRegistry(50052), '⟦1⟧ORCHESTRATOR_ADDRESS: "orchestrator.fleet.svc.cluster.local:50052"'),
      findings: [
        { at: '1', object: 'ConfigMap fleet/service-ports', path: 'data.ORCHESTRATOR_ADDRESS', messageId: 'wrongPort', data: { written: 'ConfigMap fleet/service-ports key ORCHESTRATOR_ADDRESS', address: 'orchestrator.fleet.svc.cluster.local:50052', namespace: 'fleet', name: 'orchestrator', ports: '50055/TCP (grpc)', port: 50052 } },
      ],
    },
    {
      name: 'headless Service on a port neither it nor its pods expose',
      yaml: headless + client(`            - { name: DB, ⟦1⟧value: "db-0.db:6432" }
`),
      findings: [
        { at: '1', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'wrongPort', data: { written: 'Deployment fleet/monitoring env DB', address: 'db-0.db:6432', namespace: 'fleet', name: 'db', ports: '5432/TCP (pg)', port: 6432 } },
      ],
    },
    {
      name: 'depends-on annotation and args',
      yaml: client(`            - { name: X, value: "1" }
          args: [⟦1⟧"--upstream=http://orchestrator:8080"]
`, `
  annotations:
    ⟦2⟧policy-check.dev/depends-on: "orchestrator.fleet:50055, context.fleet:50054"`),
      findings: [
        { at: '1', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].args[0]', messageId: 'wrongPort', data: { written: 'Deployment fleet/monitoring args', address: 'http://orchestrator:8080', namespace: 'fleet', name: 'orchestrator', ports: '50055/TCP (grpc)', port: 8080 } },
        { at: '2', object: 'Deployment fleet/monitoring', path: 'metadata.annotations["policy-check.dev/depends-on"]', messageId: 'noService', data: { written: 'Deployment fleet/monitoring annotation policy-check.dev/depends-on', address: 'context.fleet:50054', cluster: 'test', name: 'context', namespace: 'fleet' } },
      ],
    },
    ...casesFoundByMutation().invalid,
    ...danglingDeclaredCases.invalid,
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

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-ports.test.ts.
function casesFoundByMutation(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
// A Service and its Namespace: 9 lines plus the spec lines (11 for a two-line spec).
const service = (namespace: string, name: string, spec: string) => `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${namespace} }
---
`;
// 9 lines; the env value on the last line.
const client = (value: string) => shopWorkload('client', `          env: [{ name: TARGET, value: "${value}" }]\n`);
return {
  valid: [
    {
      name: 'a headless Service reaches the pods\' target ports',
      yaml: service('shop', 'db', '  clusterIP: None\n  selector: { app: db }\n  ports: [{ port: 80, targetPort: 5432 }]') + client('db:5432'),
    },
    {
      name: 'an ExternalName Service is not checked for ports',
      yaml: service('shop', 'ext', '  type: ExternalName\n  externalName: db.example.com\n  ports: [{ port: 80 }]') + client('ext:5432'),
    },
    {
      name: 'a.b names Service a in namespace b when the local Service b is not headless',
      yaml:
        service('shop', 'db', '  selector: { app: db }\n  ports: [{ port: 5432 }]') +
        service('db', 'web', '  selector: { app: web }\n  ports: [{ port: 80 }]') +
        client('web.db:80'),
    },
    {
      name: 'a.b names pod a of the local headless Service b',
      yaml:
        service('shop', 'db', '  clusterIP: None\n  selector: { app: db }\n  ports: [{ port: 5432 }]') +
        service('db', 'web', '  selector: { app: web }\n  ports: [{ port: 80 }]') +
        client('db-0.db:5432'),
    },
  ],
  invalid: [
    {
      name: 'an ephemeral container\'s port is not reachable behind a headless Service',
      yaml: withMarkers(service('shop', 'db', '  clusterIP: None\n  selector: { app: db }\n  ports: [{ port: 5432 }]') + `apiVersion: v1
kind: Pod
metadata: { name: db, namespace: shop, labels: { app: db } }
spec:
  containers: [{ name: db, image: db:1 }]
  ephemeralContainers: [{ name: debug, image: busybox:1, ports: [{ containerPort: 9999 }] }]
---
` + client('db:9999'), '⟦1⟧value: "db:9999" }]'),
      findings: [
        { at: '1', object: 'Deployment shop/client', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'wrongPort', data: { written: 'Deployment shop/client env TARGET', address: 'db:9999', namespace: 'shop', name: 'db', ports: '5432/TCP', port: 9999 } },
      ],
    },
    {
      name: 'https without a port dials 443',
      yaml: withMarkers(service('shop', 'web', '  selector: { app: web }\n  ports: [{ port: 80 }]') + client('https://web.shop'), '⟦1⟧value: "https://web.shop" }]'),
      findings: [
        { at: '1', object: 'Deployment shop/client', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'wrongPort', data: { written: 'Deployment shop/client env TARGET', address: 'https://web.shop', namespace: 'shop', name: 'web', ports: '80/TCP', port: 443 } },
      ],
    },
    {
      name: 'a scheme makes a bare Service name a dependency (http dials 80)',
      yaml: withMarkers(service('shop', 'web', '  selector: { app: web }\n  ports: [{ port: 8080 }]') + client('http://web'), '⟦1⟧value: "http://web" }]'),
      findings: [
        { at: '1', object: 'Deployment shop/client', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'wrongPort', data: { written: 'Deployment shop/client env TARGET', address: 'http://web', namespace: 'shop', name: 'web', ports: '8080/TCP', port: 80 } },
      ],
    },
  ],
};
}
