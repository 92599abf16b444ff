import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/ports-named-target-port.ts';
import { compactDeployment } from './helpers/manifests.ts';

const service = (targetPort: string | number, extra = '') => `apiVersion: v1
kind: Service
metadata: { name: orchestrator, namespace: fleet }
spec:
  selector: { app: orchestrator }
  ports:
    - { name: grpc, port: 50055, targetPort: ${targetPort} }
${extra}---
`;

// Starts after the Service; with an 8-line Service its container's ports list is at line 18.
const deployment = (probe = '', ports = '[{ name: grpc, containerPort: 50055 }, { name: metrics, containerPort: 9090 }]') =>
  compactDeployment('fleet', 'orchestrator', `          ports: ${ports}
${probe}`);

ruleTester(rule, {
  valid: [
    { name: 'named targetPort declared by the pods', yaml: service('grpc') + deployment() },
    { name: 'no targetPort at all', yaml: service('grpc').replace(', targetPort: grpc', '') + deployment() },
    { name: 'numeric targetPort where the container does not name the port', yaml: service(50055) + deployment('', '[{ containerPort: 50055 }]') },
    {
      name: 'probes by name; grpc probes (number only) are left alone',
      yaml: service('grpc') + deployment(`          readinessProbe: { tcpSocket: { port: grpc } }
          livenessProbe: { grpc: { port: 50055 } }
          startupProbe: { httpGet: { path: /healthz, port: metrics } }
`),
    },
    {
      name: 'a Service selecting no pods, and an ExternalName Service',
      yaml: service('grpc').replace('app: orchestrator', 'app: nothing') + `apiVersion: v1
kind: Service
metadata: { name: ext, namespace: fleet }
spec:
  type: ExternalName
  externalName: example.com
  ports: [{ port: 80, targetPort: http }]
`,
    },
  ],
  invalid: [
    {
      name: 'numeric targetPort where a name exists (warning)',
      yaml: service(50055) + deployment(),
      findings: [{ object: 'Service fleet/orchestrator', path: 'spec.ports[0].targetPort', line: 7, message: 'targets container port 50055 by number, but Deployment fleet/orchestrator names it "grpc"' }],
    },
    {
      name: 'targetPort name no selected container declares (error)',
      yaml: service('gprc') + deployment(),
      findings: [{ object: 'Service fleet/orchestrator', path: 'spec.ports[0].targetPort', line: 7, message: 'targets port name "gprc", which Deployment fleet/orchestrator never declares: those pods get no endpoint for this port (declared names: grpc, metrics)' }],
    },
    {
      name: 'multi-port Service: the second port number has a name',
      yaml: service('grpc', '    - { name: metrics, port: 9090, targetPort: 9090 }\n') + deployment(),
      findings: [{ object: 'Service fleet/orchestrator', path: 'spec.ports[1].targetPort', line: 8, message: 'port 9090 targets container port 9090 by number' }],
    },
    {
      name: 'probe ports by number where a name exists, and an undeclared probe name',
      yaml: service('grpc') + deployment(`          readinessProbe:
            tcpSocket:
              port: 50055
          livenessProbe:
            httpGet: { path: /healthz, port: http }
`),
      findings: [
        { object: 'Deployment fleet/orchestrator', path: 'spec.template.spec.containers[0].readinessProbe.tcpSocket.port', line: 21, message: 'readinessProbe of container "orchestrator" in Deployment fleet/orchestrator uses port 50055 by number, but the container names it "grpc"' },
        { object: 'Deployment fleet/orchestrator', path: 'spec.template.spec.containers[0].livenessProbe.httpGet.port', line: 23, message: 'uses port name "http", which the container does not declare: the probe can never succeed' },
      ],
    },
  ],
});

describe('ports/named-target-port severities', () => {
  it('reports a number-for-a-name as a warning and an unresolvable name as an error', () => {
    const findings = runRule(rule, { name: 'sev', yaml: service('gprc', '    - { name: metrics, port: 9090, targetPort: 9090 }\n') + deployment() });
    expect(findings.map((f) => [f.path?.join('.'), f.severity])).toEqual([
      ['spec.ports.0.targetPort', 'error'],
      ['spec.ports.1.targetPort', 'warning'],
    ]);
    expect(findings[0].fix).toBe('targetPort: grpc');
    expect(findings[1].fix).toBe('targetPort: metrics');
  });
});
