import { describe, expect, it } from 'vitest';
import { withMarkers, ruleTester, runRule, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
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
    ...casesFoundByMutation().valid,
  ],
  invalid: [
    {
      name: 'numeric targetPort where a name exists (warning)',
      yaml: withMarkers(service(50055) + deployment(), '⟦1⟧targetPort: 50055 }'),
      findings: [
        { at: '1', object: 'Service fleet/orchestrator', path: 'spec.ports[0].targetPort', messageId: 'numericTargetPort', data: { service: 'Service fleet/orchestrator', port: '50055', targetPort: 50055, pods: 'Deployment fleet/orchestrator', name: 'grpc' } },
      ],
    },
    {
      name: 'targetPort name no selected container declares (error)',
      yaml: withMarkers(service('gprc') + deployment(), '⟦1⟧targetPort: gprc }'),
      findings: [
        { at: '1', object: 'Service fleet/orchestrator', path: 'spec.ports[0].targetPort', messageId: 'undeclaredTargetPortNames', data: { service: 'Service fleet/orchestrator', port: '50055', name: 'gprc', pods: 'Deployment fleet/orchestrator', never: 'never declares', declared: 'grpc, metrics' } },
      ],
    },
    {
      name: 'multi-port Service: the second port number has a name',
      yaml: service('grpc', '    - { name: metrics, port: 9090, ⟦1⟧targetPort: 9090 }\n') + deployment(),
      findings: [
        { at: '1', object: 'Service fleet/orchestrator', path: 'spec.ports[1].targetPort', messageId: 'numericTargetPort', data: { service: 'Service fleet/orchestrator', port: '9090', targetPort: 9090, pods: 'Deployment fleet/orchestrator', name: 'metrics' } },
      ],
    },
    {
      name: 'probe ports by number where a name exists, and an undeclared probe name',
      yaml: service('grpc') + deployment(`          readinessProbe:
            tcpSocket:
              ⟦2⟧port: 50055
          livenessProbe:
            httpGet: { path: /healthz, ⟦1⟧port: http }
`),
      findings: [
        { at: '1', object: 'Deployment fleet/orchestrator', path: 'spec.template.spec.containers[0].livenessProbe.httpGet.port', messageId: 'undeclaredProbePortNames', data: { probe: 'livenessProbe of container "orchestrator" in Deployment fleet/orchestrator', name: 'http', declared: 'grpc, metrics' } },
        { at: '2', object: 'Deployment fleet/orchestrator', path: 'spec.template.spec.containers[0].readinessProbe.tcpSocket.port', messageId: 'numericProbePort', data: { probe: 'readinessProbe of container "orchestrator" in Deployment fleet/orchestrator', port: 50055, name: 'grpc' } },
      ],
    },
    {
      name: 'a named targetPort when the pods name no ports at all',
      yaml: `apiVersion: v1
kind: Service
metadata: { name: orchestrator, namespace: fleet }
spec:
  selector: { app: orchestrator }
  ports:
    - { name: grpc, port: 50055, ⟦1⟧targetPort: grpc }
---
` + deployment('', '[{ containerPort: 50055 }]'),
      findings: [
        {
          at: '1',
          object: 'Service fleet/orchestrator',
          path: 'spec.ports[0].targetPort',
          messageId: 'undeclaredTargetPort',
          data: { service: 'Service fleet/orchestrator', port: '50055', name: 'grpc', pods: 'Deployment fleet/orchestrator', never: 'never declares' },
          fix: '# on the container\nports:\n  - name: grpc\n    containerPort: 50055',
        },
      ],
    },
    ...casesFoundByMutation().invalid,
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

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-ports.test.ts.
function casesFoundByMutation(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
return {
  valid: [
    {
      name: 'an ExternalName Service routes to no pods, whatever its selector says',
      yaml: `apiVersion: v1
kind: Service
metadata: { name: ext, namespace: shop }
spec:
  type: ExternalName
  externalName: api.example.com
  selector: { app: web }
  ports: [{ port: 80, targetPort: http }]
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec:
  containers: [{ name: web, image: web:1, ports: [{ name: web, containerPort: 8080 }] }]
`,
    },
    {
      name: 'probes of ephemeral containers are not checked (the API server drops them)',
      yaml: `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  containers: [{ name: web, image: web:1 }]
  ephemeralContainers:
    - { name: debug, image: busybox:1, livenessProbe: { httpGet: { path: /, port: http } } }
`,
    },
  ],
  invalid: [
    {
      name: 'a probe of a regular container naming an undeclared port',
      yaml: `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  containers:
    - { name: web, image: web:1, livenessProbe: { httpGet: { path: /, ⟦1⟧port: http } } }
`,
      findings: [
        { at: '1', object: 'Pod shop/web', path: 'spec.containers[0].livenessProbe.httpGet.port', messageId: 'undeclaredProbePort', data: { probe: 'livenessProbe of container "web" in Pod shop/web', name: 'http' } },
      ],
    },
  ],
};
}
