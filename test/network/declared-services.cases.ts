// Services a cluster has outside this repository (config provides.services, issue 11: the Ray cluster): cases for
// ports/dangling-reference (addresses naming them resolve) and network/dependency-allowed (the caller's egress to their pods).
// Spread into each rule's test file, so each rule's RuleTester sees every message of its table.
import type { InvalidRuleTestCase, RuleTestCase } from '../../tools/lib/core/rule-tester.ts';
import type { DeclaredService } from '../../tools/lib/core/types.ts';
import { appDeployment, configMap, denyAllPolicy, networkPolicy } from '../helpers/manifests.ts';

const RAY_HEAD: DeclaredService = {
  namespace: 'ray',
  name: 'ray-gpu-head-svc',
  providedBy: 'KubeRay RayCluster ray/ray-gpu',
  ports: [{ name: 'client', port: 10001 }, { name: 'dashboard', port: 8265 }],
  podLabels: { 'ray.io/cluster': 'ray-gpu', 'ray.io/node-type': 'head' },
};
export const withRay = { provides: { services: [RAY_HEAD] } };
const DECLARED_IN = 'policies/config.yaml clusters.test.provides.services (KubeRay RayCluster ray/ray-gpu)';

// The registry (lines 1-7, RAY_ADDRESS on line 7) and the executor reading it through configMapKeyRef (env entry on line 20).
export const registry = (address: string, mark = '') => configMap('fleet', 'service-ports', `  ${mark}RAY_ADDRESS: "${address}"
`);
const executorMarked = (mark = '') => appDeployment({
  name: 'ray-executor',
  namespace: 'fleet',
  image: 'example/ray-executor:1.0',
  container: `          env:
            - ${mark}name: RAY_ADDRESS
              valueFrom:
                configMapKeyRef:
                  name: service-ports
                  key: RAY_ADDRESS
`,
});
export const executor = executorMarked();
const KEY = '⟦key⟧';
const ENV = '⟦env⟧';
const executorWithLiteral = (value: string, mark = '') => appDeployment({
  name: 'ray-executor',
  namespace: 'fleet',
  image: 'example/ray-executor:1.0',
  container: `          env:
            - name: RAY_ADDRESS
              ${mark}value: "${value}"
`,
});
export const RAY = 'ray://ray-gpu-head-svc.ray.svc.cluster.local:10001';

/** ports/dangling-reference: addresses naming a declared Service. */
export const danglingDeclaredCases: { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } = {
  valid: [
    { name: 'the registry names the declared Ray head on its client port', yaml: registry(RAY) + executor, cluster: withRay },
    { name: 'the dashboard port, written name.namespace into a namespace the render does not hold', yaml: executorWithLiteral('http://ray-gpu-head-svc.ray:8265'), cluster: withRay },
    {
      name: 'a rendered Service wins over a declaration of the same name',
      yaml: `apiVersion: v1
kind: Service
metadata: { name: ray-gpu-head-svc, namespace: ray }
spec:
  selector: { app: ray }
  ports: [{ name: serve, port: 8000 }]
---
${executorWithLiteral('http://ray-gpu-head-svc.ray.svc:8000')}`,
      cluster: withRay,
    },
    {
      name: 'a declared Service is checked even in an ignored namespace, and passes on its port',
      yaml: executorWithLiteral('kube-dns.kube-system.svc:53'),
      cluster: { provides: { services: [{ namespace: 'kube-system', name: 'kube-dns', ports: [{ port: 53, protocol: 'UDP' as const }] }] } },
    },
    { name: 'name.namespace into an undeclared, unrendered namespace is an external domain', yaml: executorWithLiteral('ray-gpu-head-svc.ray:10001') },
    { name: 'a gRPC dns:/// target on a declared port', yaml: executorWithLiteral('dns:///ray-gpu-head-svc.ray.svc.cluster.local:8265'), cluster: withRay },
  ],
  invalid: [
    {
      name: 'main\'s state: the cluster declares no Ray head, so the registry address dangles',
      yaml: registry(RAY, KEY) + executorMarked(ENV),
      cluster: { provides: {} },
      findings: [
        {
          at: 'key', object: 'ConfigMap fleet/service-ports', path: 'data.RAY_ADDRESS',
          message: 'ConfigMap fleet/service-ports key RAY_ADDRESS dials "ray://ray-gpu-head-svc.ray.svc.cluster.local:10001", but cluster test has no Service ray-gpu-head-svc in namespace ray',
          fix: 'point "ray://ray-gpu-head-svc.ray.svc.cluster.local:10001" at an existing Service, add Service ray/ray-gpu-head-svc to this cluster\'s overlay, or, when the platform runs it, declare it under clusters.test.provides.services in policies/config.yaml',
          related: [{ at: 'env', message: 'read by Deployment fleet/ray-executor', object: 'Deployment fleet/ray-executor' }],
        },
      ],
    },
    {
      name: 'a port the declaration does not list, in the registry',
      yaml: registry('ray://ray-gpu-head-svc.ray.svc.cluster.local:10002', KEY) + executorMarked(ENV),
      cluster: withRay,
      findings: [
        {
          at: 'key', object: 'ConfigMap fleet/service-ports', path: 'data.RAY_ADDRESS',
          message: `ConfigMap fleet/service-ports key RAY_ADDRESS dials "ray://ray-gpu-head-svc.ray.svc.cluster.local:10002", but Service ray/ray-gpu-head-svc, which ${DECLARED_IN} declares outside the render, exposes 10001/TCP (client), 8265/TCP (dashboard), not 10002`,
          fix: '"ray://ray-gpu-head-svc.ray.svc.cluster.local:10001"',
          related: [{ at: 'env', message: 'read by Deployment fleet/ray-executor', object: 'Deployment fleet/ray-executor' }],
        },
      ],
    },
    {
      name: 'a wrong port written name.namespace in an env value is resolved through the declaration',
      yaml: executorWithLiteral('ray-gpu-head-svc.ray:6379', '⟦value⟧'),
      cluster: withRay,
      findings: [
        {
          at: 'value', object: 'Deployment fleet/ray-executor', path: 'spec.template.spec.containers[0].env[0].value',
          messageId: 'wrongDeclaredPort',
          data: { written: 'Deployment fleet/ray-executor env RAY_ADDRESS', address: 'ray-gpu-head-svc.ray:6379', namespace: 'ray', name: 'ray-gpu-head-svc', declaredIn: DECLARED_IN, ports: '10001/TCP (client), 8265/TCP (dashboard)', port: 6379 },
        },
      ],
    },
    {
      name: 'a gRPC dns:/// target without a port dials 443, which the declaration does not list',
      yaml: executorWithLiteral('dns:///ray-gpu-head-svc.ray.svc.cluster.local', '⟦value⟧'),
      cluster: withRay,
      findings: [
        {
          at: 'value', object: 'Deployment fleet/ray-executor', path: 'spec.template.spec.containers[0].env[0].value',
          message: `Deployment fleet/ray-executor env RAY_ADDRESS dials "dns:///ray-gpu-head-svc.ray.svc.cluster.local", but Service ray/ray-gpu-head-svc, which ${DECLARED_IN} declares outside the render, exposes 10001/TCP (client), 8265/TCP (dashboard), not 443`,
        },
      ],
    },
    {
      name: 'a declaration of another Service in the namespace does not cover a typo',
      yaml: executorWithLiteral('ray://ray-gpu-head.ray.svc.cluster.local:10001', '⟦value⟧'),
      cluster: withRay,
      findings: [
        {
          at: 'value', object: 'Deployment fleet/ray-executor', path: 'spec.template.spec.containers[0].env[0].value',
          messageId: 'noService',
          data: { written: 'Deployment fleet/ray-executor env RAY_ADDRESS', address: 'ray://ray-gpu-head.ray.svc.cluster.local:10001', cluster: 'test', name: 'ray-gpu-head', namespace: 'ray' },
        },
      ],
    },
  ],
};

const rayEgress = (peer: string, port: string) => networkPolicy('fleet', 'ray-executor', `  podSelector:
    matchLabels:
      app: ray-executor
  policyTypes: [Egress]
  egress:
    - to:
${peer}
      ports:
        - port: ${port}`);
const toRayHead = `        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ray
          podSelector:
            matchLabels:
              ray.io/cluster: ray-gpu
              ray.io/node-type: head`;
const toRayNamespace = `        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ray`;
const blocked = (extra: { address?: string; via?: string; pods?: string; problem: string; declaredIn?: string }) => ({
  source: 'Deployment fleet/ray-executor',
  service: 'Service ray/ray-gpu-head-svc port 10001/TCP',
  address: extra.address ?? RAY,
  via: extra.via ?? 'configMapKeyRef',
  declaredIn: extra.declaredIn ?? DECLARED_IN,
  pods: extra.pods ?? 'ray.io/cluster=ray-gpu,ray.io/node-type=head',
  namespace: 'ray',
  port: '10001/TCP',
  problem: extra.problem,
});
const ISOLATED = 'isolated by fleet/default-deny and no rule admits it';
const ISOLATED_TOO = 'isolated by fleet/default-deny, fleet/ray-executor and no rule admits it';

/** network/dependency-allowed: egress to the pods of a declared Service. */
export const dependencyDeclaredCases: { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } = {
  valid: [
    { name: 'no NetworkPolicies: the executor may dial anything', yaml: registry(RAY) + executor, cluster: withRay },
    { name: 'egress to the head pods by namespace and labels, on the declared port name', yaml: registry(RAY) + executor + denyAllPolicy('fleet') + rayEgress(toRayHead, 'client'), cluster: withRay },
    { name: 'egress to the namespace on the port number', yaml: registry(RAY) + executor + denyAllPolicy('fleet') + rayEgress(toRayNamespace, '10001'), cluster: withRay },
    {
      name: 'the declared namespace labels answer a namespaceSelector on another label',
      yaml: registry(RAY) + executor + denyAllPolicy('fleet') + rayEgress(`        - namespaceSelector:
            matchLabels:
              platform.example.com/tier: gpu`, '10001'),
      cluster: { provides: { services: [{ ...RAY_HEAD, namespaceLabels: { 'platform.example.com/tier': 'gpu' } }] } },
    },
    { name: 'a cluster without the declaration has no edge here (ports/dangling-reference reports the address)', yaml: registry(RAY) + executor + denyAllPolicy('fleet'), cluster: { provides: {} } },
  ],
  invalid: [
    {
      name: 'the address and the declaration but no egress rule (default-deny only)',
      yaml: registry(RAY, KEY) + executorMarked(ENV) + denyAllPolicy('fleet'),
      cluster: withRay,
      findings: [
        {
          at: 'env', object: 'Deployment fleet/ray-executor', path: 'spec.template.spec.containers[0].env[0]',
          message: `Deployment fleet/ray-executor depends on Service ray/ray-gpu-head-svc port 10001/TCP ("${RAY}" via configMapKeyRef), which ${DECLARED_IN} declares outside the render, but its egress to pods ray.io/cluster=ray-gpu,ray.io/node-type=head in namespace ray port 10001/TCP is not allowed (${ISOLATED})`,
          fix: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ray-executor-to-ray-gpu-head-svc
  namespace: fleet
spec:
  podSelector:
    matchLabels:
      app: ray-executor
  policyTypes:
    - Egress
  egress:
    - to:
        - podSelector:
            matchLabels:
              ray.io/cluster: ray-gpu
              ray.io/node-type: head
          namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ray
      ports:
        - protocol: TCP
          port: 10001
`,
          related: [{ at: 'key', message: `address "${RAY}" is written here`, object: 'ConfigMap fleet/service-ports' }],
        },
      ],
    },
    {
      name: 'egress on the dashboard port name while the executor dials the client port',
      yaml: registry(RAY) + executorMarked(ENV) + denyAllPolicy('fleet') + rayEgress(toRayHead, 'dashboard'),
      cluster: withRay,
      findings: [{ at: 'env', object: 'Deployment fleet/ray-executor', path: 'spec.template.spec.containers[0].env[0]', messageId: 'blockedExternal', data: blocked({ problem: ISOLATED_TOO }) }],
    },
    {
      name: 'egress to pods the declared labels do not match (the workers)',
      yaml: registry(RAY) + executorMarked(ENV) + denyAllPolicy('fleet') + rayEgress(toRayHead.replace('node-type: head', 'node-type: worker'), 'client'),
      cluster: withRay,
      findings: [{ at: 'env', object: 'Deployment fleet/ray-executor', path: 'spec.template.spec.containers[0].env[0]', messageId: 'blockedExternal', data: blocked({ problem: ISOLATED_TOO }) }],
    },
    {
      name: 'a podSelector on labels the declaration does not give cannot be proven',
      yaml: registry(RAY) + executorMarked(ENV) + denyAllPolicy('fleet') + rayEgress(toRayHead, 'client'),
      cluster: { provides: { services: [{ namespace: 'ray', name: 'ray-gpu-head-svc', ports: [{ name: 'client', port: 10001 }] }] } },
      findings: [{
        at: 'env', object: 'Deployment fleet/ray-executor', path: 'spec.template.spec.containers[0].env[0]', messageId: 'blockedExternal',
        data: blocked({ pods: '(no labels declared)', declaredIn: 'policies/config.yaml clusters.test.provides.services', problem: ISOLATED_TOO }),
      }],
    },
    {
      name: 'an egress rule on the same port to another namespace, for a literal env value',
      yaml: executorWithLiteral(RAY, '⟦value⟧') + denyAllPolicy('fleet') + rayEgress(toRayNamespace.replace('name: ray', 'name: ray-system'), '10001'),
      cluster: withRay,
      findings: [{ at: 'value', object: 'Deployment fleet/ray-executor', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'blockedExternal', data: blocked({ via: 'an env value', problem: ISOLATED_TOO }) }],
    },
  ],
};

/** ports/env-from-registry: a literal address of a declared Service is hardcoded like any in-cluster address. */
export const envFromRegistryDeclaredCases: { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } = {
  valid: [
    { name: 'the Ray address read from the registry', yaml: registry(RAY) + executor, cluster: withRay },
    { name: 'name.namespace into an unrendered namespace nobody declares is an external domain', yaml: executorWithLiteral('ray-gpu-head-svc.ray:10001') },
  ],
  invalid: [
    {
      name: 'the declared Ray head written name.namespace in an env value, the registry holding its address',
      yaml: registry(RAY, KEY) + executorWithLiteral('ray-gpu-head-svc.ray:10001', '⟦value⟧'),
      cluster: withRay,
      findings: [
        {
          at: 'value', object: 'Deployment fleet/ray-executor', path: 'spec.template.spec.containers[0].env[0].value',
          message: `env RAY_ADDRESS of container "ray-executor" hardcodes the address "ray-gpu-head-svc.ray:10001": read RAY_ADDRESS from ConfigMap fleet/service-ports (the registry says "${RAY}")`,
          related: [{ at: 'key', message: `registry entry RAY_ADDRESS: "${RAY}"`, object: 'ConfigMap fleet/service-ports' }],
        },
      ],
    },
  ],
};
