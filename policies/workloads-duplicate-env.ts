import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { containersOf } from '../tools/lib/core/graph.ts';

export default defineRule({
  id: 'workloads/duplicate-env',
  severity: 'error',
  description: 'No container defines the same environment variable twice',
  rationale:
    'When env names a variable twice the last definition silently wins (the API server only prints a warning that ' +
    'kubectl, Flux and Argo CD do not surface). It usually means an overlay patch or a component added a value that ' +
    'the base already set: the reviewer reads one value while the pod runs with the other, and removing the "duplicate" ' +
    'later changes behaviour.',
  howToFix:
    'Keep one definition. When an overlay must change a base value, patch the existing entry instead of appending ' +
    'a second one (a strategic-merge patch on `env` merges by name; a JSON6902 `add` at `/env/-` appends):\n\n' +
    '  - op: replace\n' +
    '    path: /spec/template/spec/containers/0/env/2/value\n' +
    '    value: "debug"',
  check({ graph, report }) {
    for (const template of graph.podTemplates) {
      for (const { container, path } of containersOf(template)) {
        if (!Array.isArray(container.env)) continue;
        const first = new Map<string, number>();
        container.env.forEach((variable: any, index: number) => {
          if (typeof variable?.name !== 'string') return;
          const earlier = first.get(variable.name);
          if (earlier === undefined) {
            first.set(variable.name, index);
            return;
          }
          report({
            object: template.owner,
            path: [...path, 'env', index, 'name'],
            message: `env ${variable.name} of container "${String(container.name ?? '')}" in ${describeRef(refOf(template.owner))} is defined again (first at env[${earlier}]); the last definition silently wins`,
            related: [{ message: 'the first definition', object: template.owner, path: [...path, 'env', earlier, 'name'] }],
          });
        });
      }
    }
  },
});
