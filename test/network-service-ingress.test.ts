import { withMarkers, ruleTester, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/network-service-ingress.ts';
import { appDeployment, appService, denyAllPolicy, networkPolicy } from './helpers/manifests.ts';

const app =
  appDeployment({
    name: 'orchestrator',
    namespace: 'fleet',
    image: 'example/orchestrator:1.0',
    containerName: 'server',
    container: `          ports:
            - name: grpc
              containerPort: 50055
            - name: metrics
              containerPort: 9090
`,
  }) +
  appService('fleet', 'orchestrator', `    - name: grpc
      port: 50055
      targetPort: grpc
    - name: metrics
      port: 9090
`);

const denyAll = denyAllPolicy('fleet');

const allow = (ports: string, from = `        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: monitoring
`) => networkPolicy('fleet', 'orchestrator-in', `  podSelector:
    matchLabels:
      app: orchestrator
  ingress:
    - from:
${from}      ports:
${ports}`);

ruleTester(rule, {
  valid: [
    { name: 'no policies: nothing is isolated, the Service is reachable', yaml: app },
    {
      name: 'every port admitted, one by name and one by number, for peers that are not rendered',
      yaml: app + denyAll + allow(`        - port: grpc
        - port: 9090`),
    },
    {
      name: 'a port range admits both',
      yaml: app + denyAll + allow(`        - port: 9000
          endPort: 60000`),
    },
    {
      name: 'Services without selector and ExternalName Services are not routed to pods',
      yaml: app.replace(/  selector:\n    app: orchestrator\n  ports/, '  ports') + denyAll,
    },
    ...casesFoundByMutation().valid,
  ],
  invalid: [
    {
      name: 'default deny and nothing else: both ports are unreachable',
      yaml: withMarkers(app + denyAll, '  ports:\n    - ⟦1⟧name: grpc', '      targetPort: grpc\n    - ⟦2⟧name: metrics'),
      findings: [
        { at: '1', object: 'Service fleet/orchestrator', path: 'spec.ports[0]', messageId: 'unreachable', data: { service: 'Service fleet/orchestrator', port: '50055 (grpc)', workload: 'Deployment fleet/orchestrator', policies: 'fleet/default-deny', target: '50055/TCP' } },
        { at: '2', object: 'Service fleet/orchestrator', path: 'spec.ports[1]', messageId: 'unreachable', data: { service: 'Service fleet/orchestrator', port: '9090 (metrics)', workload: 'Deployment fleet/orchestrator', policies: 'fleet/default-deny', target: '9090/TCP' } },
      ],
    },
    {
      name: 'the metrics port is missing from the allow',
      yaml: withMarkers(app + denyAll + allow(`        - port: grpc`), '      targetPort: grpc\n    - ⟦1⟧name: metrics'),
      findings: [
        { at: '1', object: 'Service fleet/orchestrator', path: 'spec.ports[1]', messageId: 'unreachable', data: { service: 'Service fleet/orchestrator', port: '9090 (metrics)', workload: 'Deployment fleet/orchestrator', policies: 'fleet/default-deny, fleet/orchestrator-in', target: '9090/TCP' } },
      ],
    },
    {
      name: 'a UDP allow does not admit a TCP Service port',
      yaml: withMarkers(app + denyAll + allow(`        - port: 50055
          protocol: UDP
        - port: metrics`), '  ports:\n    - ⟦1⟧name: grpc'),
      findings: [
        { at: '1', object: 'Service fleet/orchestrator', path: 'spec.ports[0]', messageId: 'unreachable', data: { service: 'Service fleet/orchestrator', port: '50055 (grpc)', workload: 'Deployment fleet/orchestrator', policies: 'fleet/default-deny, fleet/orchestrator-in', target: '50055/TCP' } },
      ],
    },
    {
      name: 'a rule whose only peer is invalid admits nobody',
      yaml: withMarkers(app + denyAll + allow(`        - port: grpc
        - port: metrics`, `        - ipBlock:
            cidr: 10.0.0.0/8
          podSelector: {}
`), '  ports:\n    - ⟦1⟧name: grpc', '      targetPort: grpc\n    - ⟦2⟧name: metrics'),
      findings: [
        { at: '1', object: 'Service fleet/orchestrator', path: 'spec.ports[0]', messageId: 'unreachable', data: { service: 'Service fleet/orchestrator', port: '50055 (grpc)', workload: 'Deployment fleet/orchestrator', policies: 'fleet/default-deny, fleet/orchestrator-in', target: '50055/TCP' } },
        { at: '2', object: 'Service fleet/orchestrator', path: 'spec.ports[1]', messageId: 'unreachable', data: { service: 'Service fleet/orchestrator', port: '9090 (metrics)', workload: 'Deployment fleet/orchestrator', policies: 'fleet/default-deny, fleet/orchestrator-in', target: '9090/TCP' } },
      ],
    },
    ...casesFoundByMutation().invalid,
  ],
});

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-network.test.ts.
function casesFoundByMutation(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
const pod = (namespace: string, name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace}, labels: { app: ${name} } }
spec:
${spec}
---
`;
const web = pod('shop', 'web', '  containers: [{ name: web, image: web:1, ports: [{ containerPort: 8080 }] }]');
const admit80 = networkPolicy('shop', 'web-80', `  podSelector: { matchLabels: { app: web } }
  ingress:
    - ports: [{ port: 80 }]`);
return {
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
  ports: [⟦1⟧{ port: 80, targetPort: "8080" }]
`,
      findings: [
        { at: '1', object: 'Service shop/web', path: 'spec.ports[0]', messageId: 'unreachable', data: { service: 'Service shop/web', port: '80', workload: 'Pod shop/web', policies: 'shop/web-80', target: '8080/TCP' } },
      ],
    },
  ],
};
}
