import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/ports-env-from-registry.ts';
import { configMap, orchestratorGrpcService } from './helpers/manifests.ts';

const registry =
  configMap('fleet', 'service-ports', `  ORCHESTRATOR_PORT: "50055"
  ORCHESTRATOR_ADDRESS: "orchestrator.fleet.svc.cluster.local:50055"
  MONITORING_PORT: "8080"
`) + orchestratorGrpcService;
// registry is 19 lines; the workload below starts at line 20 (its env list at line 32).
const monitoring = (env: string, extra = '') => `${registry}apiVersion: apps/v1
kind: Deployment
metadata:
  name: monitoring
  namespace: fleet
spec:
  template:
    metadata: { labels: { app: monitoring } }
    spec:
      containers:
        - name: monitoring
          image: monitoring:1.0
${extra}          env:
${env}`;

// Seed 000: the literal address with the wrong port, on line 34.
const seed000 = monitoring(`            - name: ORCHESTRATOR_ADDRESS
              value: orchestrator:50052
`);

ruleTester(rule, {
  valid: [
    {
      name: 'env read from the registry with configMapKeyRef',
      yaml: monitoring(`            - name: ORCHESTRATOR_ADDRESS
              valueFrom:
                configMapKeyRef: { name: service-ports, key: ORCHESTRATOR_ADDRESS }
            - name: PORT
              valueFrom:
                configMapKeyRef: { name: service-ports, key: MONITORING_PORT }
`),
    },
    {
      name: 'literals that are not ports or in-cluster addresses',
      yaml: monitoring(`            - name: LOG_LEVEL
              value: info
            - name: REPLICAS
              value: "3"
            - name: OPENAI_URL
              value: https://api.openai.com:443/v1
            - name: VERSION
              value: "2.49.2"
            - name: SUPPORT
              value: "PORT 8080 is documented elsewhere"
`),
    },
    {
      name: 'args expanding env vars from the registry',
      yaml: monitoring(`            - name: ORCHESTRATOR_ADDRESS
              valueFrom:
                configMapKeyRef: { name: service-ports, key: ORCHESTRATOR_ADDRESS }
`, `          args: ["--orchestrator=$(ORCHESTRATOR_ADDRESS)", "--verbose"]
`),
    },
    {
      name: 'registry name is an option',
      options: { registryName: 'ports' },
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: { name: ports, namespace: fleet }
data:
  ORCHESTRATOR_PORT: "50055"
  ORCHESTRATOR_ADDRESS: "orchestrator:50055"
`,
    },
  ],
  invalid: [
    {
      name: 'seed 000: literal host:port of an in-cluster Service',
      yaml: seed000,
      findings: [
        {
          object: 'Deployment fleet/monitoring',
          path: 'spec.template.spec.containers[0].env[0].value',
          line: 34,
          message: /hardcodes the address "orchestrator:50052": read ORCHESTRATOR_ADDRESS from ConfigMap fleet\/service-ports \(the registry says "orchestrator.fleet.svc.cluster.local:50055"\)/,
        },
      ],
    },
    {
      name: 'scheme://host:port and a literal port',
      yaml: monitoring(`            - name: NATS_URL
              value: nats://nats.fleet.svc:4222
            - name: PORT
              value: "8080"
`),
      findings: [
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[0].value', line: 34, message: 'add NATS_ADDRESS: "nats://nats.fleet.svc:4222" to ConfigMap fleet/service-ports' },
        // no Service selects monitoring, so the key comes from the value already in the registry
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[1].value', line: 36, message: 'hardcodes port 8080: read MONITORING_PORT' },
      ],
    },
    {
      name: 'the port of the Service that selects the pod is suggested by its registry key',
      yaml: `${registry}apiVersion: apps/v1
kind: Deployment
metadata:
  name: orchestrator
  namespace: fleet
spec:
  template:
    metadata: { labels: { app: orchestrator } }
    spec:
      containers:
        - name: orchestrator
          image: orchestrator:1.0
          env:
            - name: GRPC_PORT
              value: "50055"
`,
      findings: [{ object: 'Deployment fleet/orchestrator', path: 'spec.template.spec.containers[0].env[0].value', line: 34, message: 'read ORCHESTRATOR_PORT from ConfigMap fleet/service-ports' }],
    },
    {
      name: 'args and command with addresses and port flags',
      yaml: monitoring(`            - name: X
              value: y
`, `          command: ["serve", "--port", "8080"]
          args: ["--orchestrator=orchestrator.fleet:50055", "--metrics-port=9090"]
`),
      findings: [
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].command[2]', line: 32, message: 'command of container "monitoring" hardcodes port 8080 in --port: read MONITORING_PORT' },
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].args[0]', line: 33, message: /args of container "monitoring" hardcodes the address "orchestrator.fleet:50055".*pass it as \$\(ORCHESTRATOR_ADDRESS\)/ },
        { object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].args[1]', line: 33, message: 'add MONITORING_METRICS_PORT: "9090"' },
      ],
    },
    {
      name: 'the same literals in a ConfigMap other than the registry',
      yaml: `${registry}apiVersion: v1
kind: ConfigMap
metadata:
  name: monitoring-config
  namespace: fleet
data:
  ORCHESTRATOR: "orchestrator.fleet.svc.cluster.local:50055"
  ORCHESTRATOR_PORT: "50055"
  TITLE: "Fleet"
`,
      findings: [
        { object: 'ConfigMap fleet/monitoring-config', path: 'data.ORCHESTRATOR', line: 26, message: 'repeats the address "orchestrator.fleet.svc.cluster.local:50055" outside the registry: read ORCHESTRATOR_ADDRESS' },
        { object: 'ConfigMap fleet/monitoring-config', path: 'data.ORCHESTRATOR_PORT', line: 27, message: 'repeats port 50055 outside the registry: read ORCHESTRATOR_PORT' },
      ],
    },
  ],
});

describe('ports/env-from-registry fix hints', () => {
  it('gives the configMapKeyRef YAML with the registry key', () => {
    const [finding] = runRule(rule, {
      name: 'fix',
      yaml: seed000,
    });
    expect(finding.fix).toBe(['- name: ORCHESTRATOR_ADDRESS', '  valueFrom:', '    configMapKeyRef:', '      name: service-ports', '      key: ORCHESTRATOR_ADDRESS'].join('\n'));
    expect(finding.related?.[0]).toMatchObject({ message: 'registry entry ORCHESTRATOR_ADDRESS: "orchestrator.fleet.svc.cluster.local:50055"', location: { file: 'case.yaml', line: 8 } });
  });
});
