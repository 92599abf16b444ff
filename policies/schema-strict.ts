import { defineRule, describeRef } from '../tools/lib/core/rule.ts';
import { refOf } from '../tools/lib/core/rule.ts';
import { validateClusterObjects } from '../tools/lib/schema/object-validation.ts';
import { problemMessage } from '../tools/lib/schema/problem-messages.ts';
import { formatPath } from '../tools/lib/core/yaml-source.ts';

export default defineRule({
  id: 'schema/strict',
  severity: 'error',
  description: 'Every object is valid against the API schema of its cluster: no unknown fields, right types, enums, formats and list keys',
  rationale:
    'The API server rejects an object with a wrong type, a value outside an enum, a missing required field or two list entries with the same key, ' +
    'and it silently drops a field it does not know: a misspelt imagePullPolice or livenessprobe looks applied and is not. ' +
    'A rejected object stops the whole Flux Kustomization or Argo CD sync. Checking every rendered object against the OpenAPI schemas ' +
    "of the cluster's Kubernetes release (and custom resources against their CustomResourceDefinition) catches these before merge, " +
    'like kubectl apply --validate=strict, on the line that carries the mistake.',
  howToFix:
    'Fix the field the finding points at: spell it as the schema does (the finding suggests the nearest name), give it the type the schema ' +
    'wants, or give list entries distinct keys:\n\n```yaml\nspec:\n  replicas: 2                # not "two"\n  template:\n    spec:\n      containers:\n        - name: web\n          imagePullPolicy: IfNotPresent   # not imagePullPolice\n          livenessProbe:                  # not livenessprobe\n            httpGet: { path: /healthz, port: http }\n```',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  check({ cluster, graph, report }) {
    const validation = validateClusterObjects(graph.all(), cluster.kubernetesVersion);
    if (validation.release?.fallback) {
      report({
        severity: 'info',
        identity: 'schema-release-fallback',
        message: `no schemas are committed for Kubernetes ${cluster.kubernetesVersion}; objects are validated against the nearest release, ${validation.release.release} (schemas/kubernetes/v${validation.release.release}.json)`,
      });
    }
    for (const result of validation.results) {
      if (result.status === 'skipped') {
        report({ object: result.object, path: ['apiVersion'], severity: 'info', message: `${describeRef(refOf(result.object))} is not validated: ${result.reason}` });
        continue;
      }
      for (const problem of result.problems) {
        report({ object: result.object, path: problem.path, message: problemMessage(problem), key: `${problem.kind}|${formatPath(problem.path)}` });
      }
    }
  },
});
