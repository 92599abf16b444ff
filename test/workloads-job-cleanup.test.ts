import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/workloads-job-cleanup.ts';

const pod = `    spec:
      restartPolicy: Never
      containers:
      - name: task
        image: task:1.0
`;

ruleTester(rule, {
  valid: [
    {
      name: 'a Job with both fields, a CronJob with backoffLimit, an Argo CD hook Job deleted by its delete policy',
      yaml: `apiVersion: batch/v1
kind: Job
metadata:
  name: model-download
  namespace: llm-services
spec:
  backoffLimit: 10
  ttlSecondsAfterFinished: 86400
  template:
${pod}---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  namespace: shop
spec:
  schedule: "0 3 * * *"
  successfulJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: report:1.0
---
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  backoffLimit: 1
  template:
${pod}`,
    },
  ],
  invalid: [
    {
      name: 'a Job with neither field, a CronJob without backoffLimit',
      yaml: `apiVersion: batch/v1
kind: Job
metadata:
  name: seed-data
  namespace: shop
spec:
  template:
${pod}---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cleanup
  namespace: shop
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: cleanup
            image: cleanup:1.0
`,
      findings: [
        { object: 'Job shop/seed-data', path: 'spec.backoffLimit', line: 6, message: 'Job shop/seed-data does not set backoffLimit; a failing Job is retried 6 times by default' },
        { object: 'Job shop/seed-data', path: 'spec.ttlSecondsAfterFinished', line: 6, message: 'Job shop/seed-data does not set ttlSecondsAfterFinished; the finished Job and its pods are never removed' },
        { object: 'CronJob shop/cleanup', path: 'spec.jobTemplate.spec.backoffLimit', line: 22, message: 'CronJob shop/cleanup does not set backoffLimit; each failing run is retried 6 times by default' },
      ],
    },
  ],
});
