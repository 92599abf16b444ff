import { describe, expect, it } from 'vitest';
import { withMarkers, ruleTester, runRule, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/ports-env-from-registry.ts';
import { configMap, orchestratorGrpcService } from './helpers/manifests.ts';
import { envFromRegistryDeclaredCases } from './network/declared-services.cases.ts';

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
    ...casesFoundByMutation().valid,
    ...envFromRegistryDeclaredCases.valid,
  ],
  invalid: [
    {
      name: 'seed 000: literal host:port of an in-cluster Service',
      yaml: withMarkers(seed000, '⟦1⟧value: orchestrator:50052'),
      findings: [
        { at: '1', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'envAddress', data: { env: 'ORCHESTRATOR_ADDRESS', container: 'monitoring', address: '"orchestrator:50052"', note: 'read ORCHESTRATOR_ADDRESS from ConfigMap fleet/service-ports (the registry says "orchestrator.fleet.svc.cluster.local:50055")' } },
      ],
    },
    {
      name: 'scheme://host:port and a literal port',
      yaml: monitoring(`            - name: NATS_URL
              ⟦1⟧value: nats://nats.fleet.svc:4222
            - name: PORT
              ⟦2⟧value: "8080"
`),
      findings: [
        { at: '1', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'envAddress', data: { env: 'NATS_URL', container: 'monitoring', address: '"nats://nats.fleet.svc:4222"', note: 'add NATS_ADDRESS: "nats://nats.fleet.svc:4222" to ConfigMap fleet/service-ports and read it from there' } },
        { at: '2', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].env[1].value', messageId: 'envPort', data: { env: 'PORT', container: 'monitoring', port: 8080, note: 'read MONITORING_PORT from ConfigMap fleet/service-ports' } },
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
              ⟦1⟧value: "50055"
`,
      findings: [
        { at: '1', object: 'Deployment fleet/orchestrator', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'envPort', data: { env: 'GRPC_PORT', container: 'orchestrator', port: 50055, note: 'read ORCHESTRATOR_PORT from ConfigMap fleet/service-ports' } },
      ],
    },
    {
      name: 'args and command with addresses and port flags',
      yaml: monitoring(`            - name: X
              value: y
`, `          command: ["serve", "--port", ⟦2⟧"8080"]
          args: [⟦1⟧"--orchestrator=orchestrator.fleet:50055", ⟦3⟧"--metrics-port=9090"]
`),
      findings: [
        { at: '1', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].args[0]', messageId: 'argAddress', data: { field: 'args', container: 'monitoring', address: '"orchestrator.fleet:50055"', note: 'read ORCHESTRATOR_ADDRESS from ConfigMap fleet/service-ports (the registry says "orchestrator.fleet.svc.cluster.local:50055")', registryKey: 'ORCHESTRATOR_ADDRESS' } },
        { at: '2', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].command[2]', messageId: 'argPort', data: { field: 'command', container: 'monitoring', port: 8080, flag: '--port', note: 'read MONITORING_PORT from ConfigMap fleet/service-ports', registryKey: 'MONITORING_PORT' } },
        { at: '3', object: 'Deployment fleet/monitoring', path: 'spec.template.spec.containers[0].args[1]', messageId: 'argPort', data: { field: 'args', container: 'monitoring', port: 9090, flag: '--metrics-port', note: 'add MONITORING_METRICS_PORT: "9090" to ConfigMap fleet/service-ports and read it from there', registryKey: 'MONITORING_METRICS_PORT' } },
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
  ⟦1⟧ORCHESTRATOR: "orchestrator.fleet.svc.cluster.local:50055"
  ⟦2⟧ORCHESTRATOR_PORT: "50055"
  TITLE: "Fleet"
`,
      findings: [
        { at: '1', object: 'ConfigMap fleet/monitoring-config', path: 'data.ORCHESTRATOR', messageId: 'configMapAddress', data: { namespace: 'fleet', configMap: 'monitoring-config', key: 'ORCHESTRATOR', address: '"orchestrator.fleet.svc.cluster.local:50055"', note: 'read ORCHESTRATOR_ADDRESS from ConfigMap fleet/service-ports' } },
        { at: '2', object: 'ConfigMap fleet/monitoring-config', path: 'data.ORCHESTRATOR_PORT', messageId: 'configMapPort', data: { namespace: 'fleet', configMap: 'monitoring-config', key: 'ORCHESTRATOR_PORT', port: 50055, note: 'read ORCHESTRATOR_PORT from ConfigMap fleet/service-ports' } },
      ],
    },
    ...casesFoundByMutation().invalid,
    ...envFromRegistryDeclaredCases.invalid,
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

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-ports.test.ts.
function casesFoundByMutation(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
// The registry (8 lines) holds two keys with the value 8080; Service shop/web (registry key WEB_PORT) selects app: web.
const registryAndWebService = `apiVersion: v1
kind: ConfigMap
metadata: { name: service-ports, namespace: shop }
data:
  ALPHA_PORT: "8080"
  WEB_PORT: "8080"
  SUPPORT: "8080"
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [{ port: 8080 }]
---
`;
// Deployment shop/worker from line 16; container on line 24, its env or args on line 25.
const worker = (containerFields: string) => `${registryAndWebService}apiVersion: apps/v1
kind: Deployment
metadata: { name: worker, namespace: shop }
spec:
  template:
    metadata: { labels: { app: worker } }
    spec:
      containers:
        - name: worker
${containerFields}`;
return {
  valid: [
    { name: 'a name merely ending in ...PORT (SUPPORT) is not a port variable', yaml: worker('          env: [{ name: SUPPORT, value: "8080" }]\n') },
  ],
  invalid: [
    {
      name: 'a Service that does not select the workload does not decide its registry key',
      yaml: worker('          env: [{ name: WORKER_PORT, ⟦1⟧value: "8080" }]\n'),
      findings: [
        { at: '1', object: 'Deployment shop/worker', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'envPort', data: { env: 'WORKER_PORT', container: 'worker', port: 8080, note: 'read ALPHA_PORT from ConfigMap shop/service-ports' } },
      ],
    },
    {
      name: 'a single-dash port flag followed by its value',
      yaml: worker('          args: ["-port", ⟦1⟧"9000"]\n'),
      findings: [
        { at: '1', object: 'Deployment shop/worker', path: 'spec.template.spec.containers[0].args[1]', messageId: 'argPort', data: { field: 'args', container: 'worker', port: 9000, flag: '-port', note: 'add WORKER_PORT: "9000" to ConfigMap shop/service-ports and read it from there', registryKey: 'WORKER_PORT' } },
      ],
    },
  ],
};
}
