import { defineRule } from '../tools/lib/core/rule.ts';
import { kubernetesMinor } from '../tools/lib/schema/api-catalog.ts';
import { builtinDeprecation, crdDeprecation } from '../tools/lib/schema/deprecations.ts';

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export default defineRule({
  id: 'schema/deprecated-api',
  severity: 'warning',
  description: 'No object uses an apiVersion that its cluster still serves but a later release removes',
  rationale:
    'A deprecated apiVersion works today and breaks the day the cluster is upgraded to the release that removes it: the reconciler then ' +
    'stops applying the whole Kustomization or Application. A warning while both versions are served leaves time to move; raising ' +
    "kubernetesVersion in policies/config.yaml turns the same objects into schema/known-api errors, which is how an upgrade's breakage is listed in advance.",
  howToFix:
    'Move the object to the replacement the finding names (check the migration guide for fields that changed):\n\n```yaml\napiVersion: policy/v1        # was policy/v1beta1, removed in 1.25\nkind: PodDisruptionBudget\n```',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  check({ cluster, graph, report }) {
    const minor = kubernetesMinor(cluster.kubernetesVersion);
    if (minor === undefined) return; // schema/known-api reports the version itself
    const crds = graph.byKind('CustomResourceDefinition');
    for (const object of graph.all()) {
      const { apiVersion, kind } = object;
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
      const builtin = builtinDeprecation(apiVersion, kind, minor);
      if (builtin?.source === 'builtin') {
        const target = builtin.replacements.length ? `; use ${orList(builtin.replacements)}` : '';
        report({
          object,
          path: ['apiVersion'],
          message: `${apiVersion} ${kind} is deprecated: Kubernetes 1.${builtin.removedIn} removes it (cluster runs ${cluster.kubernetesVersion})${target}`,
          fix: builtin.replacements.length ? `apiVersion: ${builtin.replacements[0]}` : undefined,
        });
        continue;
      }
      const custom = crdDeprecation(apiVersion, kind, crds);
      if (custom?.source === 'crd') {
        const crdName = custom.crd.metadata.name ?? kind;
        report({
          object,
          path: ['apiVersion'],
          message: `${apiVersion} ${kind} is deprecated by CustomResourceDefinition ${crdName}${custom.warning ? ` ("${custom.warning}")` : ''}` + (custom.replacements.length ? `; use ${orList(custom.replacements)}` : ''),
          fix: custom.replacements.length ? `apiVersion: ${custom.replacements[0]}` : undefined,
          related: [{ message: `the CustomResourceDefinition that deprecates ${apiVersion}`, object: custom.crd, path: ['spec', 'versions'] }],
        });
      }
    }
  },
});
