import { ruleTester } from '../tools/lib/core/rule-tester.ts';
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
  ],
  invalid: [
    {
      name: 'default deny and nothing else: both ports are unreachable',
      yaml: app + denyAll,
      findings: [
        { object: 'Service fleet/orchestrator', path: 'spec.ports[0]', line: 33, message: 'Service fleet/orchestrator port 50055 (grpc) can never be reached: Deployment fleet/orchestrator is isolated for ingress by fleet/default-deny and no policy admits 50055/TCP from any peer' },
        { object: 'Service fleet/orchestrator', path: 'spec.ports[1]', line: 36, message: 'port 9090 (metrics)' },
      ],
    },
    {
      name: 'the metrics port is missing from the allow',
      yaml: app + denyAll + allow(`        - port: grpc`),
      findings: [{ object: 'Service fleet/orchestrator', path: 'spec.ports[1]', line: 36, message: 'no policy admits 9090/TCP' }],
    },
    {
      name: 'a UDP allow does not admit a TCP Service port',
      yaml: app + denyAll + allow(`        - port: 50055
          protocol: UDP
        - port: metrics`),
      findings: [{ object: 'Service fleet/orchestrator', path: 'spec.ports[0]', line: 33, message: '50055/TCP' }],
    },
    {
      name: 'a rule whose only peer is invalid admits nobody',
      yaml: app + denyAll + allow(`        - port: grpc
        - port: metrics`, `        - ipBlock:
            cidr: 10.0.0.0/8
          podSelector: {}
`),
      findings: [
        { object: 'Service fleet/orchestrator', path: 'spec.ports[0]', line: 33 },
        { object: 'Service fleet/orchestrator', path: 'spec.ports[1]', line: 36 },
      ],
    },
  ],
});
