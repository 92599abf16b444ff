import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/resources-requests-limits.ts';
import { containerLimitRange, webWithResources } from './helpers/manifests.ts';

// webWithResources: the container's "- name:" is line 8; resources (when present) at line 10.
const full = `          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
`;

ruleTester(rule, {
  valid: [
    { name: 'all four written', yaml: webWithResources(full) },
    { name: 'limits only: Kubernetes copies them into the requests', yaml: webWithResources(`          resources:\n            limits: { cpu: 500m, memory: 256Mi }\n`) },
    { name: 'LimitRange default and defaultRequest supply everything', yaml: containerLimitRange('      default: { cpu: 500m, memory: 256Mi }\n      defaultRequest: { cpu: 100m, memory: 128Mi }\n') + webWithResources('') },
    { name: 'LimitRange max becomes the default, default becomes the request', yaml: containerLimitRange('      max: { cpu: "1", memory: 1Gi }\n') + webWithResources('') },
    { name: 'only the required ones are checked', options: { require: ['requests.cpu', 'requests.memory'] }, yaml: webWithResources(`          resources:\n            requests: { cpu: 100m, memory: 128Mi }\n`) },
    { name: 'PodTemplate objects are templates, not workloads', yaml: `apiVersion: v1\nkind: PodTemplate\nmetadata: { name: t, namespace: shop }\ntemplate:\n  spec:\n    containers: [{ name: x, image: x:1 }]\n` },
  ],
  invalid: [
    {
      name: 'no resources at all',
      yaml: webWithResources(''),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources', line: 8, message: 'container "web" of Deployment shop/web sets no requests.cpu, requests.memory, limits.cpu, limits.memory' }],
    },
    {
      name: 'one missing value points at its own path',
      yaml: webWithResources(`          resources:\n            requests: { cpu: 100m, memory: 128Mi }\n            limits: { cpu: 500m }\n`),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.limits.memory', line: 12, message: 'sets no limits.memory' }],
    },
    {
      name: 'requests only: limits missing',
      yaml: webWithResources(`          resources:\n            requests: { cpu: 100m, memory: 128Mi }\n`),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.limits', line: 10, message: 'sets no limits.cpu, limits.memory' }],
    },
    {
      name: 'LimitRange supplies cpu only; LimitRange of another type does not count',
      yaml: containerLimitRange('      default: { cpu: 500m }\n    - type: Pod\n      max: { memory: 1Gi }\n') + webWithResources(''),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources', line: 18, message: 'sets no requests.memory, limits.memory and no LimitRange in namespace shop supplies them' }],
    },
    {
      name: 'LimitRange in another namespace does not count',
      yaml: containerLimitRange('      default: { cpu: 500m, memory: 256Mi }\n').replace('namespace: shop', 'namespace: other') + webWithResources(''),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources', line: 16 }],
    },
    {
      name: 'init containers of a CronJob, and a bare Pod',
      yaml: `apiVersion: batch/v1
kind: CronJob
metadata: { name: backup, namespace: shop }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: wait
              image: busybox:1.36
          containers:
            - name: backup
              image: backup:1.0
${full.replace(/^ {10}/gm, '              ')}---
apiVersion: v1
kind: Pod
metadata: { name: debug, namespace: shop }
spec:
  containers:
    - name: debug
      image: busybox:1.36
      resources: { limits: { cpu: 100m } }
`,
      findings: [
        { object: 'CronJob shop/backup', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].resources', line: 11, message: 'init container "wait"' },
        { object: 'Pod shop/debug', path: 'spec.containers[0].resources', line: 27, message: 'sets no requests.memory, limits.memory' },
      ],
    },
  ],
});
