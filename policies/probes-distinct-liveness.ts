import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { failureWindowSeconds, probeHandler } from '../tools/lib/probes/probe-handler.ts';
import { isLongRunning, longRunningContainers } from '../tools/lib/workloads/workloads.ts';

interface Options {
  /**
   * true (default): the same check is a finding only when liveness gives up no later than readiness, which is what
   * makes restarts cascade. false: any liveness probe that repeats the readiness check is a finding (kube-score's rule).
   */
  compareTiming: boolean;
}

export default defineRule<Options>({
  id: 'probes/distinct-liveness',
  severity: 'error',
  description: 'A livenessProbe that repeats the readinessProbe\'s check gives up later than readiness does',
  rationale:
    'Readiness answers "send me traffic?", liveness answers "kill me?". When both run the same check on the same ' +
    'schedule, a pod that is only slow (a burst of load, a dependency that hiccups) fails both at once: instead of ' +
    'being taken out of the Service until it recovers, it is restarted, its load moves to its siblings, they slow down ' +
    'and are restarted in turn, and one bad minute becomes an outage. Seed 002 uses the same endpoint for both (Ollama ' +
    '/api/tags) but polls liveness every 30s against readiness every 10s, so the pod leaves the Service long before the ' +
    'kubelet restarts it; that is the shape this rule asks for.',
  howToFix:
    'Point liveness at a cheaper endpoint that checks only the process itself, or keep the check and let liveness give ' +
    'up later than readiness (a longer periodSeconds × failureThreshold):\n\n' +
    '  readinessProbe:\n' +
    '    httpGet: {path: /health, port: http}\n' +
    '    periodSeconds: 10      # out of the Service after 30s\n' +
    '  livenessProbe:\n' +
    '    httpGet: {path: /health, port: http}\n' +
    '    periodSeconds: 30      # restarted only after 90s\n\n' +
    'Set the option `compareTiming: false` to flag every repeated check whatever its timing, as kube-score does.',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { compareTiming: { type: 'boolean' } } },
  defaultOptions: { compareTiming: true },
  check({ graph, options, report }) {
    for (const template of graph.podTemplates) {
      if (!isLongRunning(template)) continue;
      for (const { container, path } of longRunningContainers(template)) {
        const readiness = probeHandler(container.readinessProbe, container);
        const liveness = probeHandler(container.livenessProbe, container);
        if (!readiness || !liveness || readiness.key !== liveness.key) continue;
        const livenessWindow = failureWindowSeconds(container.livenessProbe);
        const readinessWindow = failureWindowSeconds(container.readinessProbe);
        if (options.compareTiming && livenessWindow > readinessWindow) continue;
        const timing = livenessWindow > readinessWindow
          ? `it gives up after ${livenessWindow}s, readiness after ${readinessWindow}s`
          : `it gives up after ${livenessWindow}s, no later than readiness (${readinessWindow}s), so a slow pod is restarted instead of only leaving the Service`;
        report({
          object: template.owner,
          path: [...path, 'livenessProbe'],
          message: `container "${String(container.name ?? '')}" of ${describeRef(refOf(template.owner))}: livenessProbe repeats the readinessProbe (${liveness.text}) and ${timing}`,
          related: [{ message: 'the readinessProbe', object: template.owner, path: [...path, 'readinessProbe'] }],
        });
      }
    }
  },
});
