import { defineRule } from '../tools/lib/core/rule.ts';
import { parsePortRange, portProblems } from '../tools/lib/api-validation/ports.ts';
import { workloadSpecProblems } from '../tools/lib/api-validation/workload-spec.ts';
import { podSpecProblems } from '../tools/lib/api-validation/pod-spec.ts';
import { ingressProblems } from '../tools/lib/api-validation/ingress.ts';
import { reportAll } from '../tools/lib/api-validation/report.ts';

interface Options {
  /** kube-apiserver --service-node-port-range of the cluster. */
  nodePortRange: string;
}

export default defineRule<Options>({
  id: 'schema/api-fields',
  severity: 'error',
  description: 'Field values and combinations the API server refuses though the schema allows them: port ranges, rollout bounds, selectors, container names, securityContext, the pod OS, Ingress paths',
  rationale:
    'The OpenAPI schema types a port as an integer and a pathType as a string; the API server\'s validation (k8s.io/kubernetes ' +
    'pkg/apis/*/validation at v1.33) then refuses a port of 70000, a Deployment whose maxSurge and maxUnavailable are both 0 (the ' +
    'rollout could never progress), a selector that does not select its own pod template, an HPA with maxReplicas below minReplicas, ' +
    'a PodDisruptionBudget with both minAvailable and maxUnavailable, an init container named like a container, privileged: true with ' +
    'allowPrivilegeEscalation: false, Linux-only securityContext fields on a pod that declares os.name: windows, and an Ingress path ' +
    'with an unknown pathType or a relative path. Each refused object stops the sync that carries it; the finding is on the field, ' +
    'with the API server\'s own error text.',
  howToFix:
    'Change the field the finding points at as the quoted API server error says, for example:\n\n' +
    '```yaml\nspec:\n  strategy:\n    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }   # not both 0\n  selector:\n    matchLabels: { app: web }\n' +
    '  template:\n    metadata:\n      labels: { app: web }                          # what the selector selects\n```\n\n' +
    '```yaml\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /api           # absolute for Prefix and Exact\n' +
    '            pathType: Prefix      # Exact, Prefix or ImplementationSpecific\n```',
  messages: {
    invalidPort: '{{field}} is refused by the API server: Invalid value: {{value}}: {{reason}}',
    invalidPortName: 'port name {{field}} is refused by the API server: Invalid value: {{value}}: {{reason}}',
    nodePortOnClusterIP: "{{field}} is refused by the API server: Forbidden: may not be used when `type` is 'ClusterIP'",
    nodePortRange: '{{field}} is refused by the API server: Invalid value: {{value}}: provided port is not in the valid range. The range of valid ports is {{range}}',
    rollingUpdateStuck: '{{field}} is refused by the API server: Invalid value: {{value}}: may not be 0 when `maxSurge` is 0',
    over100Percent: '{{field}} is refused by the API server: Invalid value: {{value}}: must not be greater than 100%',
    selectorMismatch: '{{field}} is refused by the API server: Invalid value: `selector` does not match template `labels` (the {{kind}} would own no pod it creates)',
    emptySelector: '{{field}} is refused by the API server: Invalid value: empty selector is invalid for {{kind}}',
    selectorValuesRequired: "{{values}} is refused by the API server: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    selectorValuesForbidden: "{{field}} is refused by the API server: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    selectorOperator: '{{field}} is refused by the API server: Invalid value: {{value}}: not a valid selector operator',
    selectorKey: '{{field}} is refused by the API server: Invalid value: {{value}}: {{reason}}',
    selectorValue: '{{field}} is refused by the API server: Invalid value: {{value}}: {{reason}}',
    minReplicasTooLow: '{{field}} is refused by the API server: Invalid value: {{value}}: must be greater than or equal to 1',
    maxReplicasTooLow: '{{field}} is refused by the API server: Invalid value: {{value}}: must be greater than 0',
    maxBelowMin: '{{field}} is refused by the API server: Invalid value: {{value}}: must be greater than or equal to `minReplicas` ({{min}})',
    pdbBothBounds: 'spec is refused by the API server: minAvailable and maxUnavailable cannot be both set (minAvailable {{minAvailable}}, maxUnavailable {{maxUnavailable}}); keep one',
    duplicateContainerName: '{{field}} is refused by the API server: Duplicate value: {{value}} (names are unique across containers and initContainers)',
    privilegedWithoutEscalation: '{{field}} is refused by the API server: Invalid value: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
    sysAdminWithoutEscalation: '{{field}} is refused by the API server: Invalid value: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
    windowsForbidden: '{{field}} is refused by the API server: Forbidden: cannot be set for a windows pod',
    linuxForbidsWindowsOptions: '{{field}} is refused by the API server: Forbidden: windows options cannot be set for a linux pod',
    pathTypeUnsupported: '{{field}} is refused by the API server: Unsupported value: {{value}}: supported values: "Exact", "ImplementationSpecific", "Prefix"',
    ingressPath: '{{field}} is refused by the API server: Invalid value: {{value}}: {{reason}}',
  },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      nodePortRange: { type: 'string', pattern: '^[0-9]+-[0-9]+$', description: "The cluster's kube-apiserver --service-node-port-range" },
    },
  },
  defaultOptions: { nodePortRange: '30000-32767' },
  check({ graph, options, report }) {
    const nodePorts = parsePortRange(options.nodePortRange) ?? { first: 30000, last: 32767 };
    reportAll(portProblems(graph, nodePorts), report);
    reportAll(workloadSpecProblems(graph), report);
    reportAll(podSpecProblems(graph), report);
    reportAll(ingressProblems(graph), report);
  },
});
