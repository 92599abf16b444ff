import { stringify } from 'yaml';
import { minimatch } from 'minimatch';
import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import type { ProbeName } from '../tools/lib/probes/probe-handler.ts';
import { isLongRunning, longRunningContainers } from '../tools/lib/workloads/workloads.ts';

interface Options {
  /** `Kind namespace/name` globs of workloads that only need a startupProbe (queue consumers, batch-like daemons no Service routes to). */
  startupOnly: string[];
}

const KIND_NAMES = { initContainers: 'sidecar', containers: 'container', ephemeralContainers: 'ephemeral container' } as const;

export default defineRule<Options>({
  id: 'probes/required',
  severity: 'error',
  description: 'Every long-running container has a readinessProbe and a livenessProbe (Jobs and CronJobs are exempt)',
  rationale:
    'Without a readiness probe a pod receives traffic the moment its process starts, before it can answer, and a rollout ' +
    'of a broken version replaces healthy pods with pods that never work; without a liveness probe a deadlocked process ' +
    'keeps its place forever. Seeds 002 and 004 name both probes for every service (Ollama adds a startup probe for ' +
    'its slow model load). Jobs, CronJobs and Pods with restartPolicy Never or OnFailure finish by design and are ' +
    'exempt, and so are init containers that run to completion; native sidecars (init containers with restartPolicy: ' +
    'Always) run as long as the pod and are not.',
  howToFix:
    'Add both probes, on the container\'s named port; a slow starter also gets a startupProbe so the liveness probe ' +
    'does not kill it while it boots:\n\n' +
    '  containers:\n' +
    '  - name: api\n' +
    '    ports:\n' +
    '    - name: http\n' +
    '      containerPort: 8080\n' +
    '    readinessProbe:\n' +
    '      httpGet: {path: /ready, port: http}\n' +
    '      periodSeconds: 10\n' +
    '    livenessProbe:\n' +
    '      httpGet: {path: /health, port: http}\n' +
    '      periodSeconds: 30\n\n' +
    'A workload no Service routes to and that only needs to prove it started goes in the rule option ' +
    '`startupOnly: ["Deployment ns/name"]` (globs allowed); it then needs a startupProbe instead.',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { startupOnly: { type: 'array', items: { type: 'string', minLength: 1 } } },
  },
  defaultOptions: { startupOnly: [] },
  check({ graph, options, report }) {
    for (const template of graph.podTemplates) {
      if (!isLongRunning(template)) continue;
      const owner = describeRef(refOf(template.owner));
      const startupOnly = options.startupOnly.some((pattern) => minimatch(owner, pattern));
      const required: ProbeName[] = startupOnly ? ['startupProbe'] : ['readinessProbe', 'livenessProbe'];
      for (const { container, kind, path } of longRunningContainers(template)) {
        const name = String(container.name ?? '');
        for (const probe of required) {
          if (container[probe] && typeof container[probe] === 'object') continue;
          const why = startupOnly ? ` (${owner} is listed in startupOnly)` : '';
          report({
            object: template.owner,
            path: [...path, probe],
            message: `${KIND_NAMES[kind]} "${name}" of ${owner} has no ${probe}${why}`,
            fix: stringify({ [kind]: [{ name, [probe]: { httpGet: { path: '/health', port: 'http' }, periodSeconds: probe === 'livenessProbe' ? 30 : 10 } }] }, { lineWidth: 0, indentSeq: false }).trimEnd(),
          });
        }
      }
    }
  },
});
