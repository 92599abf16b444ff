import { defineRule } from '../tools/lib/core/rule.ts';
import { missingNamespaceProblems, podSecurityLabelProblems } from '../tools/lib/api-validation/namespaces.ts';
import { reportAll } from '../tools/lib/api-validation/report.ts';

interface Options {
  /** Namespaces the cluster has without this repository rendering them (created by an installer, a bootstrap, an operator). */
  providedNamespaces: string[];
}

export default defineRule<Options>({
  id: 'schema/namespace-admission',
  severity: 'error',
  description: 'Every namespaced object goes to a namespace the cluster has, and every Namespace carries Pod Security labels the admission can parse',
  rationale:
    'Before an object is stored, namespace admission refuses it when its namespace does not exist (`namespaces "shop" not found`): a ' +
    'namespace that nothing in the cluster renders, misspelt or dropped from an overlay, fails every object in it. Pod Security admission ' +
    'refuses to create a Namespace whose pod-security.kubernetes.io/<mode>-version label is not "latest" or "v1.<minor>" (v1.33.0, 1.33, ' +
    'Latest and v1.037 are all refused), or whose <mode> label is not a level; then every object in that namespace fails too. ' +
    'On a Namespace that already exists with such a label the update is let through, so the mistake shows only on a fresh cluster.',
  howToFix:
    'Render the Namespace in the same cluster (or fix the namespace name), or, when the cluster creates it by itself, list it in the ' +
    'rule option `providedNamespaces` (the namespace of Flux\'s flux-system GitRepository or Kustomization, and the namespace of Argo CD\'s ' +
    'Applications and AppProjects, are known without it: the reconciler\'s installation creates them); and write Pod Security versions ' +
    'as the admission parses them:\n\n' +
    '```yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n' +
    '    pod-security.kubernetes.io/enforce-version: v1.33   # or latest; not v1.33.0, 1.33 or Latest\n```\n\n' +
    '```yaml\n# policies/config.yaml\nrules:\n  schema/namespace-admission:\n    clusters:\n      staging:\n        options: { providedNamespaces: [monitoring] }\n```',
  messages: {
    namespaceNotFound:
      'namespace "{{namespace}}" is not rendered in this cluster and is not one the cluster has by itself ({{provided}}): the API server refuses the {{kind}} with namespaces "{{namespace}}" not found',
    podSecurityVersion:
      '{{field}} is refused by Pod Security admission when the Namespace is created: Invalid value: {{value}}: must be "latest" or "v1.x"; every object in the namespace then fails too',
    podSecurityLevel:
      '{{field}} is refused by Pod Security admission when the Namespace is created: Invalid value: {{value}}: must be one of privileged, baseline, restricted',
  },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      providedNamespaces: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: "Namespaces the cluster has without this repository rendering them, besides default, kube-system, kube-public, kube-node-lease and the reconciler's own",
      },
    },
  },
  defaultOptions: { providedNamespaces: [] },
  check({ graph, options, report }) {
    reportAll(missingNamespaceProblems(graph, options.providedNamespaces), report);
    reportAll(podSecurityLabelProblems(graph), report);
  },
});
