// Cases that pin behaviour the other resources tests left open (found by mutation testing: each case here fails
// when one specific detail of quantity parsing, LimitRange defaulting or the scheduler's pod arithmetic is wrong).
import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../tools/lib/core/rule-tester.ts';
import { parseQuantity } from '../tools/lib/resources/quantity.ts';
import requestsLimits from '../policies/resources-requests-limits.ts';
import withinLimits from '../policies/resources-requests-within-limits.ts';
import capacity from '../policies/resources-cluster-capacity.ts';

describe('parseQuantity exponent range', () => {
  it('accepts e100 and rejects e101', () => {
    expect(parseQuantity('1e100').ok).toBe(true);
    const tooBig = parseQuantity('1e101');
    expect(tooBig.ok).toBe(false);
    expect(tooBig.ok ? '' : tooBig.error).toContain('exponent out of range');
    expect(parseQuantity('1e-101').ok).toBe(false);
  });
});

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

ruleTester(requestsLimits, {
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
    - { name: app, image: app:1 }
`,
      findings: [{ object: 'Pod shop/p', path: 'spec.containers[0].resources.limits.cpu', line: 14, message: 'container "app" of Pod shop/p sets no limits.cpu' }],
    },
  ],
});

ruleTester(withinLimits, {
  valid: [
    {
      name: 'the first LimitRange by name supplies the default; a later one does not override it',
      yaml:
        limitRange('a-generous', '      default: { cpu: "1" }') +
        limitRange('b-tight', '      default: { cpu: 100m }') + `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers:
    - { name: app, image: app:1, resources: { requests: { cpu: 500m } } }
`,
    },
  ],
  invalid: [
    {
      name: 'the smallest negative quantity (-1n) is negative',
      yaml: `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers:
    - name: app
      image: app:1
      resources: { requests: { cpu: "-1n" } }
`,
      findings: [{ object: 'Pod shop/p', path: 'spec.containers[0].resources.requests.cpu', line: 8, message: 'cpu requests of container "app" of Pod shop/p: "-1n" is negative' }],
    },
  ],
});

const pod = (containers: string) => `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: fleet }
spec:
${containers}`;

const deployment = (name: string, cpu: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: fleet }
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - { name: ${name}, image: ${name}:1, resources: { requests: { cpu: ${cpu} } } }
---
`;

ruleTester(capacity, {
  valid: [
    {
      name: 'an HPA for a StatefulSet of the same name does not scale the Deployment',
      cluster: { capacity: { cpu: '1' } },
      yaml: deployment('web', '500m') + `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: fleet }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: StatefulSet, name: web }
  maxReplicas: 10
`,
    },
    {
      name: 'a negative (invalid) request adds nothing, but does not subtract either',
      cluster: { capacity: { cpu: '2' } },
      yaml: pod(`  containers:
    - { name: a, image: a:1, resources: { requests: { cpu: "-1" } } }
    - { name: b, image: b:1, resources: { requests: { cpu: 1500m } } }
`),
    },
  ],
  invalid: [
    {
      name: 'an init container bigger than the running pod sets the pod\'s reservation',
      cluster: { capacity: { cpu: '1' } },
      yaml: pod(`  initContainers:
    - { name: migrate, image: m:1, resources: { requests: { cpu: "2" } } }
  containers:
    - { name: app, image: app:1, resources: { requests: { cpu: 500m } } }
`),
      findings: [{ object: 'Pod fleet/p', line: 1, message: 'cluster test needs cpu 2 of 1 requested at maximum scale' }],
    },
    {
      name: 'restartable init containers (sidecars) run beside the containers',
      cluster: { capacity: { cpu: '1' } },
      yaml: pod(`  initContainers:
    - { name: proxy, image: p:1, restartPolicy: Always, resources: { requests: { cpu: 800m } } }
  containers:
    - { name: app, image: app:1, resources: { requests: { cpu: 500m } } }
`),
      findings: [{ object: 'Pod fleet/p', line: 1, message: 'cluster test needs cpu 1300m of 1 requested at maximum scale' }],
    },
    {
      name: 'an ordinary init container runs beside the sidecars started before it',
      cluster: { capacity: { cpu: '1' } },
      yaml: pod(`  initContainers:
    - { name: proxy, image: p:1, restartPolicy: Always, resources: { requests: { cpu: 600m } } }
    - { name: migrate, image: m:1, resources: { requests: { cpu: 600m } } }
  containers:
    - { name: app, image: app:1, resources: { requests: { cpu: 100m } } }
`),
      findings: [{ object: 'Pod fleet/p', line: 1, message: 'cluster test needs cpu 1200m of 1 requested at maximum scale' }],
    },
    {
      name: 'a negative (invalid) request does not offset another container',
      cluster: { capacity: { cpu: '1' } },
      yaml: pod(`  containers:
    - { name: a, image: a:1, resources: { requests: { cpu: "-1" } } }
    - { name: b, image: b:1, resources: { requests: { cpu: 1500m } } }
`),
      findings: [{ object: 'Pod fleet/p', line: 1, message: 'cluster test needs cpu 1500m of 1 requested at maximum scale' }],
    },
    {
      name: 'a ScaledObject without maxReplicaCount scales to KEDA\'s default of 100',
      cluster: { capacity: { cpu: '5' } },
      yaml: deployment('worker', '100m') + `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: worker, namespace: fleet }
spec:
  scaleTargetRef: { name: worker }
`,
      findings: [{ object: 'ScaledObject fleet/worker', path: 'spec.maxReplicaCount', line: 14, message: 'cluster test needs cpu 10 of 5 requested at maximum scale' }],
    },
    {
      name: 'ResourceQuota hard.cpu means requests.cpu',
      yaml: deployment('web', '1', 2) + `apiVersion: v1
kind: ResourceQuota
metadata: { name: compute, namespace: fleet }
spec:
  hard: { cpu: "1" }
`,
      findings: [{ object: 'ResourceQuota fleet/compute', path: 'spec.hard.cpu', line: 15, message: 'ResourceQuota fleet/compute allows cpu 1, but namespace fleet needs 2 at maximum scale' }],
    },
  ],
});

describe('resources/cluster-capacity budget table', () => {
  it('leaves out workloads scaled to zero', () => {
    const findings = runRule(capacity, { name: 'zero', cluster: { capacity: { cpu: '1' } }, yaml: deployment('busy', '2') + deployment('idle', '8', 0) });
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('Deployment fleet/busy');
    expect(findings[0].message).not.toContain('idle');
  });
});
