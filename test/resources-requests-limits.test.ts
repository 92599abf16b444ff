import { withMarkers, ruleTester, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
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
    ...casesFoundByMutation().valid,
  ],
  invalid: [
    {
      name: 'no resources at all',
      yaml: withMarkers(webWithResources(''), '        - ⟦1⟧name: web'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources', messageId: 'missing', data: { container: 'container "web" of Deployment shop/web', missing: 'requests.cpu, requests.memory, limits.cpu, limits.memory', namespace: 'shop', pronoun: 'them' } },
      ],
    },
    {
      name: 'one missing value points at its own path',
      yaml: webWithResources(`          resources:\n            requests: { cpu: 100m, memory: 128Mi }\n            ⟦1⟧limits: { cpu: 500m }\n`),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.limits.memory', messageId: 'missing', data: { container: 'container "web" of Deployment shop/web', missing: 'limits.memory', namespace: 'shop', pronoun: 'it' } },
      ],
    },
    {
      name: 'requests only: limits missing',
      yaml: webWithResources(`          ⟦1⟧resources:\n            requests: { cpu: 100m, memory: 128Mi }\n`),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.limits', messageId: 'missing', data: { container: 'container "web" of Deployment shop/web', missing: 'limits.cpu, limits.memory', namespace: 'shop', pronoun: 'them' } },
      ],
    },
    {
      name: 'LimitRange supplies cpu only; LimitRange of another type does not count',
      yaml: withMarkers(containerLimitRange('      default: { cpu: 500m }\n    - type: Pod\n      max: { memory: 1Gi }\n') + webWithResources(''), '        - ⟦1⟧name: web'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources', messageId: 'missing', data: { container: 'container "web" of Deployment shop/web', missing: 'requests.memory, limits.memory', namespace: 'shop', pronoun: 'them' } },
      ],
    },
    {
      name: 'LimitRange in another namespace does not count',
      yaml: withMarkers(containerLimitRange('      default: { cpu: 500m, memory: 256Mi }\n').replace('namespace: shop', 'namespace: other') + webWithResources(''), '        - ⟦1⟧name: web'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources', messageId: 'missing', data: { container: 'container "web" of Deployment shop/web', missing: 'requests.cpu, requests.memory, limits.cpu, limits.memory', namespace: 'shop', pronoun: 'them' } },
      ],
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
            - ⟦1⟧name: wait
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
      ⟦2⟧resources: { limits: { cpu: 100m } }
`,
      findings: [
        { at: '1', object: 'CronJob shop/backup', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].resources', messageId: 'missing', data: { container: 'init container "wait" of CronJob shop/backup', missing: 'requests.cpu, requests.memory, limits.cpu, limits.memory', namespace: 'shop', pronoun: 'them' } },
        { at: '2', object: 'Pod shop/debug', path: 'spec.containers[0].resources', messageId: 'missing', data: { container: 'container "debug" of Pod shop/debug', missing: 'requests.memory, limits.memory', namespace: 'shop', pronoun: 'them' } },
      ],
    },
    ...casesFoundByMutation().invalid,
  ],
});

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-resources.test.ts.
function casesFoundByMutation(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
// 8 lines each.
const limitRange = (name: string, item: string) => `apiVersion: v1
kind: LimitRange
metadata: { name: ${name}, namespace: shop }
spec:
  limits:
    - type: Container
${item}
---
`;
return {
  valid: [
    {
      name: 'LimitRange min supplies the default request when neither default nor defaultRequest is set',
      options: { require: ['requests.cpu', 'requests.memory'] },
      yaml: limitRange('floor', '      min: { cpu: 50m, memory: 32Mi }') + `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers:
    - { name: app, image: app:1 }
`,
    },
    {
      name: 'ephemeral containers take no resources',
      yaml: `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers:
    - name: app
      image: app:1
      resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
  ephemeralContainers:
    - { name: debug, image: busybox:1 }
`,
    },
  ],
  invalid: [
    {
      name: 'LimitRange min is only a request: limits are still missing',
      options: { require: ['limits.cpu'] },
      yaml: limitRange('floor', '      min: { cpu: 50m }') + `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers:
    - ⟦1⟧{ name: app, image: app:1 }
`,
      findings: [
        { at: '1', object: 'Pod shop/p', path: 'spec.containers[0].resources.limits.cpu', messageId: 'missing', data: { container: 'container "app" of Pod shop/p', missing: 'limits.cpu', namespace: 'shop', pronoun: 'it' } },
      ],
    },
  ],
};
}
