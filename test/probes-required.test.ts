import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/probes-required.ts';

ruleTester(rule, {
  valid: [
    {
      name: 'seed 002: Ollama with readiness, liveness and startup probes',
      yaml: `apiVersion: apps/v1
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
          httpGet: {path: /api/tags, port: http}
          periodSeconds: 30
        readinessProbe:
          httpGet: {path: /api/tags, port: http}
          periodSeconds: 10
        startupProbe:
          httpGet: {path: /api/tags, port: http}
          failureThreshold: 30
`,
    },
    {
      name: 'Jobs, CronJobs, run-to-completion Pods and init containers need no probes',
      yaml: `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: flyway:10
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  namespace: shop
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: report
            image: report:1.0
---
apiVersion: v1
kind: Pod
metadata:
  name: once
  namespace: shop
spec:
  restartPolicy: OnFailure
  containers:
  - name: task
    image: busybox:1.36
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      initContainers:
      - name: wait-for-db
        image: busybox:1.36
      containers:
      - name: app
        image: nginx:1.27
        readinessProbe: {tcpSocket: {port: 80}}
        livenessProbe: {tcpSocket: {port: 80}, periodSeconds: 30}
`,
    },
    {
      name: 'a startup-only workload listed in the option has a startupProbe',
      options: { startupOnly: ['Deployment queue/*'] },
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: consumer
  namespace: queue
spec:
  template:
    spec:
      containers:
      - name: consumer
        image: consumer:2.1
        startupProbe:
          exec: {command: [cat, /tmp/started]}
`,
    },
  ],
  invalid: [
    {
      name: 'a Deployment without readiness, a DaemonSet without liveness, a native sidecar without either',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      initContainers:
      - name: proxy
        image: envoy:1.31
        restartPolicy: Always
      containers:
      - name: app
        image: nginx:1.27
        livenessProbe:
          tcpSocket: {port: 80}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: ops
spec:
  template:
    spec:
      containers:
      - name: agent
        image: agent:3.2
        readinessProbe:
          httpGet: {path: /ready, port: 9000}
`,
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.initContainers[0].readinessProbe', line: 10, message: 'sidecar "proxy" of Deployment shop/web has no readinessProbe' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.initContainers[0].livenessProbe', line: 10, message: 'sidecar "proxy" of Deployment shop/web has no livenessProbe' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].readinessProbe', line: 14, message: 'container "app" of Deployment shop/web has no readinessProbe' },
        { object: 'DaemonSet ops/agent', path: 'spec.template.spec.containers[0].livenessProbe', line: 28, message: 'container "agent" of DaemonSet ops/agent has no livenessProbe' },
      ],
    },
    {
      name: 'a bare Pod that restarts forever; a startup-only workload without its startupProbe',
      options: { startupOnly: ['Deployment queue/consumer'] },
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: shop
spec:
  containers:
  - name: shell
    image: busybox:1.36
    readinessProbe:
      exec: {command: [true]}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: consumer
  namespace: queue
spec:
  template:
    spec:
      containers:
      - name: consumer
        image: consumer:2.1
        livenessProbe:
          exec: {command: [cat, /tmp/healthy]}
`,
      findings: [
        { object: 'Pod shop/debug', path: 'spec.containers[0].livenessProbe', line: 8, message: 'container "shell" of Pod shop/debug has no livenessProbe' },
        { object: 'Deployment queue/consumer', path: 'spec.template.spec.containers[0].startupProbe', line: 22, message: 'container "consumer" of Deployment queue/consumer has no startupProbe (Deployment queue/consumer is listed in startupOnly)' },
      ],
    },
  ],
});
