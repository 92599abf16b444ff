import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/probes-distinct-liveness.ts';

const ollama = (liveness: string, readiness: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ollama
  namespace: llm-services
spec:
  template:
    spec:
      containers:
      - name: ollama
        image: ollama/ollama:0.5.7
        ports:
        - name: http
          containerPort: 11434
        livenessProbe:
${liveness}
        readinessProbe:
${readiness}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'seed 002: the same endpoint, liveness polled every 30s against readiness every 10s (90s against 30s)',
      yaml: ollama(`          httpGet: {path: /api/tags, port: http}
          periodSeconds: 30`, `          httpGet: {path: /api/tags, port: http}
          periodSeconds: 10`),
    },
    {
      name: 'different checks: liveness on the process, readiness on its dependencies',
      yaml: ollama(`          tcpSocket: {port: http}`, `          httpGet: {path: /api/tags, port: http}`),
    },
    {
      name: 'a Job is not judged',
      yaml: `apiVersion: batch/v1
kind: Job
metadata:
  name: once
  namespace: shop
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: task
        image: busybox:1.36
        livenessProbe: {exec: {command: [true]}}
        readinessProbe: {exec: {command: [true]}}
`,
    },
  ],
  invalid: [
    {
      name: 'identical probes with default timing; a named port and its number are the same check',
      yaml: ollama(`          httpGet: {path: /api/tags, port: 11434}`, `          httpGet: {path: /api/tags, port: http}`),
      findings: [{
        object: 'StatefulSet llm-services/ollama',
        path: 'spec.template.spec.containers[0].livenessProbe',
        line: 15,
        message: 'container "ollama" of StatefulSet llm-services/ollama: livenessProbe repeats the readinessProbe (httpGet /api/tags on port 11434) and it gives up after 30s, no later than readiness (30s), so a slow pod is restarted instead of only leaving the Service',
      }],
    },
    {
      name: 'liveness gives up sooner than readiness (exec)',
      yaml: ollama(`          exec: {command: [ollama, list]}
          periodSeconds: 5`, `          exec: {command: [ollama, list]}
          failureThreshold: 6`),
      findings: [{
        object: 'StatefulSet llm-services/ollama',
        path: 'spec.template.spec.containers[0].livenessProbe',
        line: 15,
        message: 'container "ollama" of StatefulSet llm-services/ollama: livenessProbe repeats the readinessProbe (exec ["ollama","list"]) and it gives up after 15s, no later than readiness (60s), so a slow pod is restarted instead of only leaving the Service',
      }],
    },
    {
      name: 'compareTiming: false flags the repeated check whatever its timing (kube-score)',
      options: { compareTiming: false },
      yaml: ollama(`          tcpSocket: {port: http}
          periodSeconds: 30`, `          tcpSocket: {port: http}`),
      findings: [{
        object: 'StatefulSet llm-services/ollama',
        path: 'spec.template.spec.containers[0].livenessProbe',
        line: 15,
        message: 'container "ollama" of StatefulSet llm-services/ollama: livenessProbe repeats the readinessProbe (tcpSocket on port 11434) and it gives up after 90s, readiness after 30s',
      }],
    },
  ],
});
