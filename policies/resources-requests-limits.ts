import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { effectiveResources, limitRangeDefaultsFor, resourceContainers } from '../tools/lib/resources/resources.ts';

type Requirement = 'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory';

interface Options {
  require: Requirement[];
}

const ALL: Requirement[] = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

function fixYaml(missing: Requirement[]): string {
  const lines = ['resources:'];
  for (const bound of ['requests', 'limits'] as const) {
    const wanted = missing.filter((m) => m.startsWith(bound));
    if (wanted.length === 0) continue;
    lines.push(`  ${bound}:`);
    for (const m of wanted) lines.push(m.endsWith('cpu') ? `    cpu: ${bound === 'requests' ? '100m' : '500m'}` : `    memory: ${bound === 'requests' ? '128Mi' : '256Mi'}`);
  }
  return lines.join('\n');
}

export default defineRule<Options>({
  id: 'resources/requests-limits',
  severity: 'error',
  description: 'Every container and init container sets CPU and memory requests and limits (a LimitRange default counts)',
  rationale:
    'Without requests the scheduler places pods blind and a busy node starves them; without limits one leaking container takes ' +
    'the node down with its neighbours (on a 8 GiB k3s board that is every service at once). A LimitRange default in the namespace ' +
    'counts, because admission fills it in exactly as if it were written; a request missing while its limit is set counts too, ' +
    'because Kubernetes copies the limit into it.',
  howToFix:
    'Set the missing values on the container (the message lists them):\n\n' +
    '  resources:\n' +
    '    requests: { cpu: 100m, memory: 128Mi }\n' +
    '    limits: { cpu: 500m, memory: 256Mi }\n\n' +
    'or give the namespace a LimitRange with `default` and `defaultRequest` for type Container. Which of the four are required is ' +
    'the option `require`, settable per cluster in policies/config.yaml.',
  messages: {
    missing: '{{container}} sets no {{missing}} and no LimitRange in namespace {{namespace}} supplies {{pronoun}}',
  },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { require: { type: 'array', items: { enum: ALL }, uniqueItems: true, description: 'Which of the four values every container must have' } },
  },
  defaultOptions: { require: ALL },
  check({ graph, options, report }) {
    const defaultsFor = limitRangeDefaultsFor(graph);
    for (const template of graph.podTemplates) {
      if (template.owner.kind === 'PodTemplate') continue;
      const defaults = defaultsFor(template.namespace);
      for (const entry of resourceContainers(template)) {
        const effective = effectiveResources(template.owner, entry, defaults);
        const missing = options.require.filter((r) => {
          const [bound, resource] = r.split('.') as ['requests' | 'limits', string];
          return !effective[bound].has(resource);
        });
        if (missing.length === 0) continue;
        const bounds = new Set(missing.map((m) => m.split('.')[0]));
        const path = missing.length === 1
          ? [...entry.path, 'resources', ...missing[0].split('.')]
          : bounds.size === 1 ? [...entry.path, 'resources', [...bounds][0]] : [...entry.path, 'resources'];
        const kind = entry.kind === 'initContainers' ? 'init container' : 'container';
        report({
          object: template.owner,
          path,
          messageId: 'missing',
          data: {
            container: `${kind} "${entry.container.name}" of ${describeRef(refOf(template.owner))}`,
            missing: missing.join(', '),
            namespace: template.namespace,
            pronoun: missing.length === 1 ? 'it' : 'them',
          },
          fix: fixYaml(missing),
        });
      }
    }
  },
});
