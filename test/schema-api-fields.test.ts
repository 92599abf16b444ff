import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/schema-api-fields.ts';
import strict from '../policies/schema-strict.ts';

const REFUSED = 'is refused by the API server';
const RANGE = 'must be between 1 and 65535, inclusive';

/** A Pod in shop whose spec is `spec` (lines under `spec:`, indented two spaces). */
const pod = (spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
${spec}`;

/** A workload of `kind` whose selector and template labels are given as flow maps. */
const workload = (kind: string, apiVersion: string, selector: string, labels: string, extra = '') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: web
  namespace: shop
spec:
${extra}  selector: ${selector}
  template:
    metadata:
      ⟦l⟧labels: ${labels}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

const deployment = (rollingUpdate: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  strategy:
    rollingUpdate:
${rollingUpdate}
  selector: { matchLabels: { app: web } }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

const ingress = (path: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
${path}
            backend: { service: { name: web, port: { number: 80 } } }
`;

const hpa = (bounds: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: shop
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
${bounds}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'a NodePort Service inside the ranges, targeting a named port',
      yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  ports:
    - { name: http, port: 80, targetPort: http, nodePort: 30080 }
`,
    },
    {
      name: 'a node port outside the default range, on a cluster whose range includes it',
      options: { nodePortRange: '8000-9000' },
      yaml: 'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec:\n  type: NodePort\n  ports: [{ port: 80, nodePort: 8080 }]\n',
    },
    { name: 'containerPort and hostPort at the ends of the range', yaml: pod('  containers:\n    - name: web\n      image: nginx:1.27\n      ports: [{ name: http, containerPort: 1, hostPort: 65535 }]\n') },
    { name: 'maxUnavailable 0 with a surge of one', yaml: deployment('      maxSurge: 1\n      maxUnavailable: 0') },
    { name: 'maxUnavailable 0 with maxSurge left to its default of 25%', yaml: deployment('      maxUnavailable: 0%') },
    { name: 'selectors that select their templates, matchExpressions included', yaml: [
      workload('Deployment', 'apps/v1', '{ matchLabels: { app: web } }', '{ app: web, tier: front }'),
      workload('StatefulSet', 'apps/v1', '{ matchExpressions: [{ key: app, operator: In, values: [web, api] }] }', '{ app: web }', '  serviceName: web\n'),
      workload('DaemonSet', 'apps/v1', '{ matchExpressions: [{ key: legacy, operator: DoesNotExist }] }', '{ app: web }'),
      workload('Job', 'batch/v1', '{ matchLabels: { app: web } }', '{ app: web }', '  manualSelector: true\n'),
    ].join('---\n').replaceAll('⟦l⟧', '') },
    { name: 'a Job without a selector (the API server generates one)', yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: { name: once, namespace: shop }\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{ name: once, image: busybox:1.36 }]\n' },
    { name: 'an HPA from 2 to 5', yaml: hpa('  minReplicas: 2\n  maxReplicas: 5') },
    { name: 'a PDB with only minAvailable', yaml: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: web, namespace: shop }\nspec:\n  minAvailable: 1\n  selector: { matchLabels: { app: web } }\n' },
    { name: 'an init container and a container with different names', yaml: pod('  initContainers:\n    - { name: migrate, image: busybox:1.36 }\n  containers:\n    - { name: web, image: nginx:1.27 }\n') },
    { name: 'privileged without allowPrivilegeEscalation: false', yaml: pod('  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext: { privileged: true, capabilities: { add: [CAP_SYS_ADMIN] } }\n') },
    {
      name: 'a Windows pod with runAsNonRoot and windowsOptions only',
      yaml: pod('  os: { name: windows }\n  securityContext:\n    runAsNonRoot: true\n    windowsOptions: { runAsUserName: ContainerUser }\n  containers:\n    - name: web\n      image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n      securityContext: { runAsNonRoot: true }\n'),
    },
    { name: 'a Linux pod with Linux fields', yaml: pod('  os: { name: linux }\n  securityContext: { runAsUser: 1000, seccompProfile: { type: RuntimeDefault } }\n  containers:\n    - { name: web, image: nginx:1.27 }\n') },
    { name: 'Ingress paths: absolute Prefix and Exact, an empty ImplementationSpecific', yaml: ingress('          - { path: /api, pathType: Prefix,\n            backend: { service: { name: web, port: { number: 80 } } } }\n          - path: /healthz\n            pathType: Exact\n          - pathType: ImplementationSpecific') },
  ],
  invalid: [
    {
      name: 'Service port, targetPort and nodePort of 70000, and a containerPort of 70000',
      yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  ports:
    - name: http
      ⟦1⟧port: 70000
      ⟦2⟧targetPort: 70000
      ⟦3⟧nodePort: 70000
---
${pod('  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - ⟦4⟧containerPort: 70000\n          ⟦5⟧hostPort: 0x10000\n')}`,
      findings: [
        { at: '1', object: 'Service shop/web', path: 'spec.ports[0].port', message: `spec.ports[0].port ${REFUSED}: Invalid value: 70000: ${RANGE}` },
        { at: '2', object: 'Service shop/web', path: 'spec.ports[0].targetPort', message: `spec.ports[0].targetPort ${REFUSED}: Invalid value: 70000: ${RANGE}` },
        { at: '3', object: 'Service shop/web', path: 'spec.ports[0].nodePort', message: `spec.ports[0].nodePort ${REFUSED}: Invalid value: 70000: provided port is not in the valid range. The range of valid ports is 30000-32767` },
        { at: '4', object: 'Pod shop/web', path: 'spec.containers[0].ports[0].containerPort', message: `spec.containers[0].ports[0].containerPort ${REFUSED}: Invalid value: 70000: ${RANGE}` },
        { at: '5', object: 'Pod shop/web', path: 'spec.containers[0].ports[0].hostPort', message: `spec.containers[0].ports[0].hostPort ${REFUSED}: Invalid value: 65536: ${RANGE}` },
      ],
    },
    {
      name: 'a node port on a ClusterIP Service, and port names the API server refuses',
      yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports:
    - ⟦1⟧name: Web_HTTP
      port: 80
      ⟦2⟧targetPort: web_http
      ⟦3⟧nodePort: 30080
`,
      findings: [
        { at: '1', object: 'Service shop/web', path: 'spec.ports[0].name', message: `port name spec.ports[0].name ${REFUSED}: Invalid value: "Web_HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')` },
        { at: '2', object: 'Service shop/web', path: 'spec.ports[0].targetPort', message: `port name spec.ports[0].targetPort ${REFUSED}: Invalid value: "web_http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)` },
        { at: '3', object: 'Service shop/web', path: 'spec.ports[0].nodePort', message: `spec.ports[0].nodePort ${REFUSED}: Forbidden: may not be used when \`type\` is 'ClusterIP'` },
      ],
    },
    {
      name: 'maxSurge and maxUnavailable both 0',
      yaml: deployment('      maxSurge: 0\n      ⟦1⟧maxUnavailable: 0'),
      findings: [{ at: '1', object: 'Deployment shop/web', path: 'spec.strategy.rollingUpdate.maxUnavailable', message: `spec.strategy.rollingUpdate.maxUnavailable ${REFUSED}: Invalid value: 0: may not be 0 when \`maxSurge\` is 0` }],
    },
    {
      name: 'maxSurge and maxUnavailable both "0%"',
      yaml: deployment('      maxSurge: "0%"\n      ⟦1⟧maxUnavailable: "0%"'),
      findings: [{ at: '1', object: 'Deployment shop/web', path: 'spec.strategy.rollingUpdate.maxUnavailable', message: `spec.strategy.rollingUpdate.maxUnavailable ${REFUSED}: Invalid value: "0%": may not be 0 when \`maxSurge\` is 0` }],
    },
    {
      name: 'maxUnavailable above 100%',
      yaml: deployment('      ⟦1⟧maxUnavailable: 150%'),
      findings: [{ at: '1', object: 'Deployment shop/web', path: 'spec.strategy.rollingUpdate.maxUnavailable', message: `spec.strategy.rollingUpdate.maxUnavailable ${REFUSED}: Invalid value: "150%": must not be greater than 100%` }],
    },
    ...(
      [
        ['Deployment', 'apps/v1', ''],
        ['StatefulSet', 'apps/v1', '  serviceName: web\n'],
        ['DaemonSet', 'apps/v1', ''],
        ['ReplicaSet', 'apps/v1', ''],
        ['Job', 'batch/v1', '  manualSelector: true\n'],
      ] as const
    ).map(([kind, apiVersion, extra]) => ({
      name: `a ${kind} whose selector does not match its template labels`,
      yaml: workload(kind, apiVersion, '{ matchLabels: { app: web } }', '{ app: webb }', extra),
      findings: [{ at: 'l', object: `${kind} shop/web`, path: 'spec.template.metadata.labels', message: `spec.template.metadata.labels ${REFUSED}: Invalid value: \`selector\` does not match template \`labels\` (the ${kind} would own no pod it creates)` }],
    })),
    {
      name: 'selector matchExpressions the API server refuses: In without values, Exists with values, an unknown operator, a bad value',
      yaml: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web, namespace: shop }
spec:
  minAvailable: 1
  selector:
    matchExpressions:
      - key: app
        ⟦1⟧operator: In
      - key: tier
        operator: Exists
        ⟦2⟧values: [front]
      - key: track
        ⟦3⟧operator: Equals
        values: [⟦4⟧stable/v2]
`,
      findings: [
        { at: '1', object: 'PodDisruptionBudget shop/web', path: 'spec.selector.matchExpressions[0].operator', message: `spec.selector.matchExpressions[0].values ${REFUSED}: Required value: must be specified when \`operator\` is 'In' or 'NotIn'` },
        { at: '2', object: 'PodDisruptionBudget shop/web', path: 'spec.selector.matchExpressions[1].values', message: `spec.selector.matchExpressions[1].values ${REFUSED}: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'` },
        { at: '3', object: 'PodDisruptionBudget shop/web', path: 'spec.selector.matchExpressions[2].operator', message: `spec.selector.matchExpressions[2].operator ${REFUSED}: Invalid value: "Equals": not a valid selector operator` },
        { at: '4', object: 'PodDisruptionBudget shop/web', path: 'spec.selector.matchExpressions[2].values[0]', message: `spec.selector.matchExpressions[2].values[0] ${REFUSED}: Invalid value: "stable/v2": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')` },
      ],
    },
    {
      name: 'a selector key that is not a qualified name',
      yaml: workload('Deployment', 'apps/v1', '{ matchExpressions: [{ ⟦k⟧key: "app name", operator: Exists }] }', '{ app: web }'),
      findings: [
        { at: 'l', object: 'Deployment shop/web', path: 'spec.template.metadata.labels', message: `spec.template.metadata.labels ${REFUSED}: Invalid value: \`selector\` does not match template \`labels\` (the Deployment would own no pod it creates)` },
        { at: 'k', object: 'Deployment shop/web', path: 'spec.selector.matchExpressions[0].key', message: `spec.selector.matchExpressions[0].key ${REFUSED}: Invalid value: "app name": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')` },
      ],
    },
    {
      name: 'a Deployment with an empty selector',
      yaml: workload('Deployment', 'apps/v1', '{}', '{ app: web }').replace('  selector:', '  ⟦s⟧selector:').replace('⟦l⟧', ''),
      findings: [{ at: 's', object: 'Deployment shop/web', path: 'spec.selector', message: `spec.selector ${REFUSED}: Invalid value: empty selector is invalid for deployment` }],
    },
    {
      name: 'an HPA whose minReplicas is above maxReplicas',
      yaml: hpa('  minReplicas: 5\n  ⟦1⟧maxReplicas: 2'),
      findings: [{ at: '1', object: 'HorizontalPodAutoscaler shop/web', path: 'spec.maxReplicas', message: `spec.maxReplicas ${REFUSED}: Invalid value: 2: must be greater than or equal to \`minReplicas\` (5)` }],
    },
    {
      name: 'an HPA with minReplicas 0 and maxReplicas 0',
      yaml: hpa('  ⟦1⟧minReplicas: 0\n  ⟦2⟧maxReplicas: 0'),
      findings: [
        { at: '1', object: 'HorizontalPodAutoscaler shop/web', path: 'spec.minReplicas', message: `spec.minReplicas ${REFUSED}: Invalid value: 0: must be greater than or equal to 1` },
        { at: '2', object: 'HorizontalPodAutoscaler shop/web', path: 'spec.maxReplicas', message: `spec.maxReplicas ${REFUSED}: Invalid value: 0: must be greater than 0` },
      ],
    },
    {
      name: 'a PDB with both minAvailable and maxUnavailable',
      yaml: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: web, namespace: shop }\nspec:\n  minAvailable: 1\n  ⟦1⟧maxUnavailable: 50%\n  selector: { matchLabels: { app: web } }\n',
      findings: [{ at: '1', object: 'PodDisruptionBudget shop/web', path: 'spec.maxUnavailable', message: `spec ${REFUSED}: minAvailable and maxUnavailable cannot be both set (minAvailable 1, maxUnavailable "50%"); keep one` }],
    },
    {
      name: 'an init container named like a container',
      yaml: pod('  initContainers:\n    - ⟦1⟧name: web\n      image: busybox:1.36\n  containers:\n    - name: web\n      image: nginx:1.27\n'),
      findings: [{ at: '1', object: 'Pod shop/web', path: 'spec.initContainers[0].name', message: `spec.initContainers[0].name ${REFUSED}: Duplicate value: "web" (names are unique across containers and initContainers)` }],
    },
    {
      name: 'privileged: true or CAP_SYS_ADMIN with allowPrivilegeEscalation: false, in a container and an init container',
      yaml: pod(
        '  initContainers:\n    - name: setup\n      image: busybox:1.36\n      securityContext:\n        allowPrivilegeEscalation: false\n        capabilities: { add: [NET_ADMIN, ⟦2⟧CAP_SYS_ADMIN] }\n' +
          '  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        ⟦1⟧privileged: true\n        allowPrivilegeEscalation: false\n',
      ),
      findings: [
        { at: '2', object: 'Pod shop/web', path: 'spec.initContainers[0].securityContext.capabilities.add[1]', message: `spec.initContainers[0].securityContext ${REFUSED}: Invalid value: cannot set \`allowPrivilegeEscalation\` to false and \`capabilities.Add\` CAP_SYS_ADMIN` },
        { at: '1', object: 'Pod shop/web', path: 'spec.containers[0].securityContext.privileged', message: `spec.containers[0].securityContext ${REFUSED}: Invalid value: cannot set \`allowPrivilegeEscalation\` to false and \`privileged\` to true` },
      ],
    },
    {
      name: 'a Windows pod with Linux-only pod and container fields',
      yaml: pod(
        '  os: { name: windows }\n  ⟦1⟧hostPID: true\n  securityContext:\n    ⟦2⟧seLinuxOptions: { level: "s0:c123,c456" }\n    ⟦3⟧seccompProfile: { type: RuntimeDefault }\n    ⟦4⟧runAsUser: 1000\n    runAsNonRoot: true\n' +
          '  containers:\n    - name: web\n      image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n      securityContext:\n        ⟦5⟧capabilities: { drop: [ALL] }\n        ⟦6⟧allowPrivilegeEscalation: false\n        ⟦7⟧runAsGroup: 1000\n',
      ),
      findings: [
        { at: '1', object: 'Pod shop/web', path: 'spec.hostPID', message: `spec.hostPID ${REFUSED}: Forbidden: cannot be set for a windows pod` },
        { at: '2', object: 'Pod shop/web', path: 'spec.securityContext.seLinuxOptions', message: `spec.securityContext.seLinuxOptions ${REFUSED}: Forbidden: cannot be set for a windows pod` },
        { at: '3', object: 'Pod shop/web', path: 'spec.securityContext.seccompProfile', message: `spec.securityContext.seccompProfile ${REFUSED}: Forbidden: cannot be set for a windows pod` },
        { at: '4', object: 'Pod shop/web', path: 'spec.securityContext.runAsUser', message: `spec.securityContext.runAsUser ${REFUSED}: Forbidden: cannot be set for a windows pod` },
        { at: '5', object: 'Pod shop/web', path: 'spec.containers[0].securityContext.capabilities', message: `spec.containers[0].securityContext.capabilities ${REFUSED}: Forbidden: cannot be set for a windows pod` },
        { at: '6', object: 'Pod shop/web', path: 'spec.containers[0].securityContext.allowPrivilegeEscalation', message: `spec.containers[0].securityContext.allowPrivilegeEscalation ${REFUSED}: Forbidden: cannot be set for a windows pod` },
        { at: '7', object: 'Pod shop/web', path: 'spec.containers[0].securityContext.runAsGroup', message: `spec.containers[0].securityContext.runAsGroup ${REFUSED}: Forbidden: cannot be set for a windows pod` },
      ],
    },
    {
      name: 'a Deployment of Windows pods with a seccomp profile in its template',
      yaml: deployment('      maxSurge: 1').replace('    spec:\n      containers:', '    spec:\n      os: { name: windows }\n      securityContext:\n        ⟦1⟧seccompProfile: { type: RuntimeDefault }\n      containers:'),
      findings: [{ at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.securityContext.seccompProfile', message: `spec.template.spec.securityContext.seccompProfile ${REFUSED}: Forbidden: cannot be set for a windows pod` }],
    },
    {
      name: 'a Linux pod with windowsOptions',
      yaml: pod('  os: { name: linux }\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        ⟦1⟧windowsOptions: { runAsUserName: ContainerUser }\n'),
      findings: [{ at: '1', object: 'Pod shop/web', path: 'spec.containers[0].securityContext.windowsOptions', message: `spec.containers[0].securityContext.windowsOptions ${REFUSED}: Forbidden: windows options cannot be set for a linux pod` }],
    },
    {
      name: 'Ingress pathType Prefixx',
      yaml: ingress('          - path: /api\n            ⟦1⟧pathType: Prefixx'),
      findings: [{ at: '1', object: 'Ingress shop/web', path: 'spec.rules[0].http.paths[0].pathType', message: `spec.rules[0].http.paths[0].pathType ${REFUSED}: Unsupported value: "Prefixx": supported values: "Exact", "ImplementationSpecific", "Prefix"` }],
    },
    {
      name: 'Ingress Prefix and Exact paths that are not absolute or not clean',
      yaml: ingress('          - ⟦1⟧path: api\n            pathType: Prefix\n            backend: { service: { name: web, port: { number: 80 } } }\n          - ⟦2⟧path: /api//v1/..\n            pathType: Exact'),
      findings: [
        { at: '1', object: 'Ingress shop/web', path: 'spec.rules[0].http.paths[0].path', message: `spec.rules[0].http.paths[0].path ${REFUSED}: Invalid value: "api": must be an absolute path` },
        { at: '2', object: 'Ingress shop/web', path: 'spec.rules[0].http.paths[1].path', message: `spec.rules[0].http.paths[1].path ${REFUSED}: Invalid value: "/api//v1/..": must not contain '//'` },
        { at: '2', object: 'Ingress shop/web', path: 'spec.rules[0].http.paths[1].path', message: `spec.rules[0].http.paths[1].path ${REFUSED}: Invalid value: "/api//v1/..": cannot end with '/..'` },
      ],
    },
  ],
});

describe('schema/api-fields and schema/strict', () => {
  it('leaves two containers of one name to schema/strict, which reports the duplicate list key', () => {
    const yaml = pod('  containers:\n    - { name: web, image: nginx:1.27 }\n    - { name: web, image: nginx:1.27 }\n');
    expect(runRule(rule, { name: 'twice', yaml })).toEqual([]);
    expect(runRule(strict, { name: 'twice', yaml }).map((f) => f.message)).toEqual([
      'spec.containers[1] repeats name "web" of containers[0]; this list is keyed by name, and the API server (server-side apply) rejects duplicate keys',
    ]);
  });

  it('pod-level privileged and allowPrivilegeEscalation do not exist: schema/strict reports them as unknown fields', () => {
    const yaml = pod('  securityContext: { privileged: true, allowPrivilegeEscalation: false }\n  containers:\n    - { name: web, image: nginx:1.27 }\n');
    expect(runRule(rule, { name: 'pod level', yaml })).toEqual([]);
    expect(runRule(strict, { name: 'pod level', yaml }).map((f) => f.message)).toEqual([
      'unknown field "privileged" in spec.securityContext',
      'unknown field "allowPrivilegeEscalation" in spec.securityContext',
    ]);
  });

  it('the strict schema accepts every value this rule refuses (a port of 70000, pathType Prefixx)', () => {
    const yaml = `apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec:\n  ports: [{ port: 70000 }]\n---\n${ingress('          - path: /api\n            pathType: Prefixx')}`;
    expect(runRule(strict, { name: 'strict', yaml })).toEqual([]);
    expect(runRule(rule, { name: 'fields', yaml }).map((f) => f.path?.join('.'))).toEqual(['spec.ports.0.port', 'spec.rules.0.http.paths.0.pathType']);
  });
});
