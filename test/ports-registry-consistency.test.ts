import { withMarkers, ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/ports-registry-consistency.ts';
import { compactDeployment } from './helpers/manifests.ts';

// 10 lines (11 with extra); the next document starts at line 11.
const registry = (extra = '') => `apiVersion: v1
kind: ConfigMap
metadata: { name: service-ports, namespace: fleet }
data:
  ORCHESTRATOR_PORT: "50055"
  ORCHESTRATOR_ADDRESS: "orchestrator.fleet.svc.cluster.local:50055"
  NEO4J_BOLT_PORT: "7687"
  NEO4J_HTTP_PORT: "7474"
  RAY_CLIENT_PORT: "10001"
${extra}---
`;

// 10 lines
const orchestratorService = (port = 50055, annotations = '') => `apiVersion: v1
kind: Service
metadata:
  name: orchestrator
  namespace: fleet${annotations}
spec:
  selector: { app: orchestrator }
  ports:
    - { name: grpc, port: ${port}, targetPort: grpc }
---
`;

const orchestratorDeployment = (containerPort = 50055) =>
  compactDeployment('fleet', 'orchestrator', `          ports:
            - name: grpc
              containerPort: ${containerPort}
`);

const neo4j = (boltPort = 7687) => `apiVersion: v1
kind: Service
metadata: { name: neo4j, namespace: fleet }
spec:
  clusterIP: None
  selector: { app: neo4j }
  ports:
    - { name: bolt, port: ${boltPort} }
    - { name: http, port: 7474 }
---
`;

ruleTester(rule, {
  valid: [
    { name: 'single-port Service, registry and container agree', yaml: registry() + orchestratorService() + orchestratorDeployment() },
    { name: 'multi-port headless Service uses <SERVICE>_<PORTNAME>_PORT', yaml: registry() + neo4j() },
    {
      name: 'the annotation names the key explicitly',
      yaml: registry() + `apiVersion: v1
kind: Service
metadata:
  name: ray-gpu-head-svc
  namespace: fleet
  annotations: { policy-check.dev/registry-key: RAY_CLIENT_PORT }
spec:
  ports: [{ name: client, port: 10001 }]
`,
    },
    {
      name: 'ExternalName Services are not in the registry',
      yaml: registry() + `apiVersion: v1
kind: Service
metadata: { name: payments, namespace: fleet }
spec:
  type: ExternalName
  externalName: payments.example.com
  ports: [{ port: 443 }]
`,
    },
    {
      name: 'a numeric targetPort is a deliberate translation',
      yaml: registry() + `apiVersion: v1
kind: Service
metadata: { name: orchestrator, namespace: fleet }
spec:
  selector: { app: orchestrator }
  ports: [{ name: grpc, port: 50055, targetPort: 9000 }]
---
` + orchestratorDeployment(9000),
    },
    {
      name: 'registry name is an option',
      options: { registryName: 'ports' },
      yaml: registry().replace('name: service-ports', 'name: ports') + orchestratorService(),
    },
  ],
  invalid: [
    {
      name: 'Service port disagrees with the registry (seed 000)',
      yaml: withMarkers(registry() + orchestratorService(50052), '⟦1⟧port: 50052, targetPort: grpc }'),
      findings: [
        { at: '1', object: 'Service fleet/orchestrator', path: 'spec.ports[0].port', messageId: 'disagrees', data: { port: 'Service fleet/orchestrator port 50052 (grpc)', key: 'ORCHESTRATOR_PORT', registered: 50055 } },
      ],
    },
    {
      name: 'container behind the Service listens elsewhere',
      yaml: withMarkers(registry() + orchestratorService() + orchestratorDeployment(50052), '⟦1⟧containerPort: 50052'),
      findings: [
        { at: '1', object: 'Deployment fleet/orchestrator', path: 'spec.template.spec.containers[0].ports[0].containerPort', messageId: 'containerDisagrees', data: { name: 'grpc', pods: 'Deployment fleet/orchestrator', containerPort: '50052', port: 'Service fleet/orchestrator port 50055 (grpc)', key: 'ORCHESTRATOR_PORT', registered: 50055 } },
      ],
    },
    {
      name: 'multi-port Service: one port missing, one wrong',
      yaml: withMarkers(registry().replace('  NEO4J_HTTP_PORT: "7474"\n', '') + neo4j(7688), '⟦1⟧port: 7688 }', '⟦2⟧port: 7474 }'),
      findings: [
        { at: '1', object: 'Service fleet/neo4j', path: 'spec.ports[0].port', messageId: 'disagrees', data: { port: 'Service fleet/neo4j port 7688 (bolt)', key: 'NEO4J_BOLT_PORT', registered: 7687 } },
        { at: '2', object: 'Service fleet/neo4j', path: 'spec.ports[1].port', messageId: 'missingKey', data: { port: 'Service fleet/neo4j port 7474 (http)', key: 'NEO4J_HTTP_PORT', number: 7474, namespace: 'fleet', registry: 'service-ports' } },
      ],
    },
    {
      name: 'two Services claim the same key',
      yaml: registry() + orchestratorService() + `apiVersion: v1
kind: Service
metadata:
  name: orchestrator-canary
  namespace: fleet
  annotations: { ⟦1⟧policy-check.dev/registry-key: ORCHESTRATOR_PORT }
spec:
  ports: [{ port: 50055 }]
`,
      findings: [
        { at: '1', object: 'Service fleet/orchestrator-canary', path: 'metadata.annotations["policy-check.dev/registry-key"]', messageId: 'keyClaimedTwice', data: { port: 'Service fleet/orchestrator-canary port 50055', key: 'ORCHESTRATOR_PORT', other: 'Service fleet/orchestrator' } },
      ],
    },
    {
      name: 'namespace without a registry',
      yaml: withMarkers(orchestratorService(), '⟦1⟧port: 50055, targetPort: grpc }'),
      findings: [
        { at: '1', object: 'Service fleet/orchestrator', path: 'spec.ports[0].port', messageId: 'noRegistry', data: { port: 'Service fleet/orchestrator port 50055 (grpc)', namespace: 'fleet', registry: 'service-ports' } },
      ],
    },
    {
      name: 'bad annotation and a registry value that is not a port',
      yaml: registry('  ⟦1⟧PLANNING_PORT: "fifty"\n') + `apiVersion: v1
kind: Service
metadata:
  name: planning
  namespace: fleet
spec:
  ports: [{ name: grpc, port: 50053 }]
---
` + neo4j().replace('metadata: { name: neo4j, namespace: fleet }', 'metadata:\n  name: neo4j\n  namespace: fleet\n  annotations: { ⟦2⟧policy-check.dev/registry-key: NEO4J_BOLT_PORT }'),
      findings: [
        { at: '1', object: 'ConfigMap fleet/service-ports', path: 'data.PLANNING_PORT', messageId: 'notAPort', data: { key: 'PLANNING_PORT', value: 'fifty' } },
        { at: '2', object: 'Service fleet/neo4j', path: 'metadata.annotations["policy-check.dev/registry-key"]', messageId: 'badKeyAnnotation', data: { service: 'Service fleet/neo4j', problem: 'policy-check.dev/registry-key "NEO4J_BOLT_PORT" must be "portName=KEY, ..." on a Service with 2 ports' } },
      ],
    },
    {
      name: 'ADDRESS and PORT of one service disagree inside the registry',
      yaml: withMarkers(registry().replace('cluster.local:50055', 'cluster.local:50052'), '⟦1⟧ORCHESTRATOR_ADDRESS: "orchestrator.fleet.svc.cluster.local:50052"'),
      findings: [
        { at: '1', object: 'ConfigMap fleet/service-ports', path: 'data.ORCHESTRATOR_ADDRESS', messageId: 'addressDisagrees', data: { key: 'ORCHESTRATOR_ADDRESS', addressPort: 50052, portKey: 'ORCHESTRATOR_PORT', registered: 50055 } },
      ],
    },
  ],
});
