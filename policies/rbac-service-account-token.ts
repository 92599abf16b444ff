import { minimatch } from 'minimatch';
import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { bindings, bindsServiceAccount } from '../tools/lib/rbac/rbac.ts';

interface Options {
  /** ServiceAccounts that talk to the API through rights granted outside this repository: `ServiceAccount namespace/name` (globs allowed). */
  allow: { object: string; reason: string }[];
}

export default defineRule<Options>({
  id: 'rbac/service-account-token',
  severity: 'error',
  description: 'A pod mounts a ServiceAccount token only when that ServiceAccount is granted a role, i.e. the workload talks to the Kubernetes API',
  rationale:
    'Kubernetes mounts a token for the pod\'s ServiceAccount unless automountServiceAccountToken is false on the pod or ' +
    'the ServiceAccount. A workload that never calls the API gains nothing from it, but whoever breaks into the container ' +
    'gets a credential for the API server, every permission later bound to that ServiceAccount (or to all ' +
    'ServiceAccounts) and a way to probe the cluster. Seed 003 is the model: the worker pods run with no API access, and ' +
    'only hodei-server, which creates the worker pods, mounts its token; its rights come from a RoleBinding. The rule ' +
    'reads "talks to the API" as "some RoleBinding or ClusterRoleBinding in the cluster\'s render grants this ' +
    'ServiceAccount a role" (directly, or through the system:serviceaccounts groups).',
  howToFix:
    'Turn the mount off on the pod (or once on the ServiceAccount, for every pod using it):\n\n' +
    '  spec:\n' +
    '    template:\n' +
    '      spec:\n' +
    '        automountServiceAccountToken: false\n\n' +
    'A workload whose ServiceAccount is granted rights outside this repository (a chart, a cloud IAM binding) goes in ' +
    'the option `allow: [{object: "ServiceAccount ns/name", reason: "..."}]`.',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allow: {
        type: 'array',
        items: {
          type: 'object', additionalProperties: false, required: ['object', 'reason'],
          properties: { object: { type: 'string', minLength: 1 }, reason: { type: 'string', minLength: 1 } },
        },
      },
    },
  },
  defaultOptions: { allow: [] },
  check({ graph, options, report }) {
    const allBindings = bindings(graph);
    for (const template of graph.podTemplates) {
      const spec = template.spec;
      if (spec.automountServiceAccountToken === false) continue;
      const name = String(spec.serviceAccountName ?? spec.serviceAccount ?? 'default');
      const serviceAccount = graph.get('ServiceAccount', template.namespace, name);
      if (spec.automountServiceAccountToken !== true && (serviceAccount as any)?.automountServiceAccountToken === false) continue;
      const descriptor = `ServiceAccount ${template.namespace}/${name}`;
      if (allBindings.some((b) => bindsServiceAccount(b, template.namespace, name))) continue;
      if (options.allow.some((entry) => minimatch(descriptor, entry.object))) continue;
      const explicit = spec.automountServiceAccountToken === true ? ' (automountServiceAccountToken: true)' : '';
      report({
        object: template.owner,
        path: [...template.specPath, 'automountServiceAccountToken'],
        message: `${describeRef(refOf(template.owner))} mounts the API token of ${descriptor}${explicit}, which no RoleBinding or ClusterRoleBinding in this cluster grants a role; set automountServiceAccountToken: false on the pod or the ServiceAccount`,
        ...(serviceAccount ? { related: [{ message: 'the ServiceAccount', object: serviceAccount }] } : {}),
      });
    }
  },
});
