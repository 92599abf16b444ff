import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import type { FieldPath, K8sObject } from '../tools/lib/core/types.ts';
import { apiGroupOf } from '../tools/lib/core/graph.ts';

/** Jobs that a deployer deletes itself once they ran: Argo CD hooks and Helm hooks with a delete policy. */
function deletedByHook(job: K8sObject): boolean {
  const annotations = job.metadata.annotations ?? {};
  return 'argocd.argoproj.io/hook-delete-policy' in annotations || 'helm.sh/hook-delete-policy' in annotations;
}

export default defineRule({
  id: 'workloads/job-cleanup',
  severity: 'error',
  description: 'A Job sets backoffLimit and ttlSecondsAfterFinished; a CronJob\'s jobTemplate sets backoffLimit',
  rationale:
    'A finished Job and its pods stay in the cluster until someone deletes them: they hold their logs, count against ' +
    'the namespace\'s pod quota (seed 003\'s hodei-jobs-workers caps it at 100), and clutter every `kubectl get pods`. ' +
    'ttlSecondsAfterFinished lets the TTL controller remove them. backoffLimit bounds how often a failing Job is ' +
    'retried; the implicit default (6, with exponential back-off) is rarely what anyone chose. CronJobs clean up through ' +
    'successfulJobsHistoryLimit and failedJobsHistoryLimit, so only their backoffLimit is required. Jobs deleted by ' +
    'their deployer (Argo CD or Helm hooks with a delete policy) need no TTL. Under Flux or Argo CD a Job removed by its ' +
    'TTL is applied again at the next reconcile and runs again: choose a TTL that is an acceptable re-run period, and ' +
    'make the Job idempotent.',
  howToFix:
    '  apiVersion: batch/v1\n' +
    '  kind: Job\n' +
    '  spec:\n' +
    '    backoffLimit: 4\n' +
    '    ttlSecondsAfterFinished: 86400   # removed a day after it finished\n\n' +
    'For a CronJob, set spec.jobTemplate.spec.backoffLimit.',
  check({ graph, report }) {
    const missing = (object: K8sObject, path: FieldPath, field: string, what: string) => {
      report({ object, path: [...path, field], message: `${describeRef(refOf(object))} does not set ${field}; ${what}` });
    };
    for (const job of graph.byKind('Job').filter((o) => apiGroupOf(o) === 'batch')) {
      const spec = (job as any).spec ?? {};
      if (typeof spec.backoffLimit !== 'number') missing(job, ['spec'], 'backoffLimit', 'a failing Job is retried 6 times by default');
      if (typeof spec.ttlSecondsAfterFinished !== 'number' && !deletedByHook(job)) missing(job, ['spec'], 'ttlSecondsAfterFinished', 'the finished Job and its pods are never removed');
    }
    for (const cronJob of graph.byKind('CronJob').filter((o) => apiGroupOf(o) === 'batch')) {
      const spec = (cronJob as any).spec?.jobTemplate?.spec ?? {};
      if (typeof spec.backoffLimit !== 'number') missing(cronJob, ['spec', 'jobTemplate', 'spec'], 'backoffLimit', 'each failing run is retried 6 times by default');
    }
  },
});
