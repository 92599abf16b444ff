import { describe, expect, it } from 'vitest';
import { withMarkers, ruleTester, runRule, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/resources-cluster-capacity.ts';

const k3s = { capacity: { cpu: '4', memory: '8Gi', nodes: 1 } };

// 14 lines with its separator; spec.replicas on line 5.
const deployment = (name: string, replicas: number, cpu: string, memory: string, namespace = 'fleet') => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: ${name}
          image: ${name}:1.0
          resources:
            requests: { cpu: ${cpu}, memory: ${memory} }
            limits: { cpu: ${cpu}, memory: ${memory} }
---
`;

// 8 lines with its separator; maxReplicas on line 7.
const hpa = (target: string, max: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${target}, namespace: fleet }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${target} }
  minReplicas: 1
  maxReplicas: ${max}
---
`;

const daemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: fleet }
spec:
  template:
    spec:
      containers:
        - name: agent
          image: agent:1.0
          resources: { requests: { cpu: 500m, memory: 1Gi } }
---
`;

ruleTester(rule, {
  valid: [
    { name: 'fits the k3s board', cluster: k3s, yaml: deployment('orchestrator', 2, '1', '2Gi') + deployment('monitoring', 1, '500m', '1Gi') },
    { name: 'no declared capacity: nothing to check', yaml: deployment('big', 100, '4', '64Gi') },
    {
      name: 'init containers count as the scheduler counts them (max, not sum)',
      cluster: { capacity: { cpu: '1', memory: '1Gi' } },
      yaml: `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: fleet }
spec:
  initContainers:
    - { name: migrate, image: m:1, resources: { requests: { cpu: "1", memory: 1Gi } } }
  containers:
    - { name: app, image: a:1, resources: { requests: { cpu: "1", memory: 1Gi } } }
`,
    },
    {
      name: 'quota large enough; scoped quotas are not checked',
      yaml: deployment('orchestrator', 2, '1', '2Gi') + `apiVersion: v1
kind: ResourceQuota
metadata: { name: fleet, namespace: fleet }
spec:
  hard: { requests.cpu: "2", requests.memory: 4Gi, limits.cpu: "2", pods: "2" }
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: best-effort, namespace: fleet }
spec:
  scopes: [BestEffort]
  hard: { pods: "0" }
`,
    },
    ...casesFoundByMutation().valid,
  ],
  invalid: [
    {
      name: 'HPA maxReplicas overflows the board; the finding sits on the largest share',
      cluster: k3s,
      yaml: withMarkers(deployment('orchestrator', 1, '1', '2Gi') + hpa('orchestrator', 4) + deployment('monitoring', 1, '500m', '512Mi'), '⟦1⟧maxReplicas: 4'),
      findings: [
        { at: '1', object: 'HorizontalPodAutoscaler fleet/orchestrator', path: 'spec.maxReplicas', messageId: 'overCapacity', data: { cluster: 'test', amounts: 'cpu 4500m of 4 and memory 8.5Gi of 8Gi', largest: 'Deployment fleet/orchestrator', budget: 'workload                       replicas                    cpu  memory\nDeployment fleet/orchestrator  4 (HPA orchestrator max)      4     8Gi\nDeployment fleet/monitoring    1 (replicas)               500m   512Mi\ntotal                                                    4500m   8.5Gi\ncapacity (1 node)                                            4     8Gi' } },
      ],
    },
    {
      name: 'DaemonSets count once per declared node',
      cluster: { capacity: { cpu: '1500m', memory: '16Gi', nodes: 3 } },
      yaml: deployment('orchestrator', 1, '500m', '1Gi') + withMarkers(daemonSet, '  template:\n    ⟦1⟧spec:\n      containers:'),
      findings: [
        { at: '1', object: 'DaemonSet fleet/agent', path: 'spec.template.spec', messageId: 'overCapacity', data: { cluster: 'test', amounts: 'cpu 2 of 1500m', largest: 'DaemonSet fleet/agent', budget: 'workload                       replicas              cpu  memory\nDaemonSet fleet/agent          3 (1 per node × 3)  1500m     3Gi\nDeployment fleet/orchestrator  1 (replicas)         500m     1Gi\ntotal                                                  2     4Gi\ncapacity (3 nodes)                                 1500m    16Gi' } },
      ],
    },
    {
      name: 'ResourceQuota exceeded',
      yaml: deployment('orchestrator', 3, '1', '2Gi') + `apiVersion: v1
kind: ResourceQuota
metadata: { name: fleet, namespace: fleet }
spec:
  hard:
    ⟦1⟧requests.cpu: "2"
    memory: 8Gi
    ⟦2⟧pods: "2"
`,
      findings: [
        { at: '1', object: 'ResourceQuota fleet/fleet', path: 'spec.hard["requests.cpu"]', messageId: 'overQuota', data: { quota: 'ResourceQuota fleet/fleet', key: 'requests.cpu', allowed: '2', namespace: 'fleet', used: '3', budget: 'workload                       replicas      cpu  memory\nDeployment fleet/orchestrator  3 (replicas)    3     6Gi\ntotal                                          3     6Gi\nquota                                          2     8Gi' } },
        { at: '2', object: 'ResourceQuota fleet/fleet', path: 'spec.hard.pods', messageId: 'quotaPods', data: { quota: 'ResourceQuota fleet/fleet', allowed: '2', namespace: 'fleet', pods: 3 } },
      ],
    },
    {
      name: 'a ResourceQuota value that is not a quantity',
      yaml: deployment('orchestrator', 1, '1', '2Gi') + `apiVersion: v1
kind: ResourceQuota
metadata: { name: fleet, namespace: fleet }
spec:
  hard:
    ⟦1⟧requests.cpu: two
`,
      findings: [
        { at: '1', object: 'ResourceQuota fleet/fleet', path: 'spec.hard["requests.cpu"]', messageId: 'quotaUnreadable', data: { quota: 'ResourceQuota fleet/fleet', key: 'requests.cpu', problem: '"two" is not a quantity (expected a number with an optional suffix such as 500m, 0.5, 1Gi, 1G or 1e3)' } },
      ],
    },
    ...casesFoundByMutation().invalid,
  ],
});

describe('resources/cluster-capacity budget table', () => {
  it('prints workload, replicas, cpu and memory, biggest first, with total and capacity', () => {
    const [finding] = runRule(rule, {
      name: 'table',
      cluster: k3s,
      yaml: deployment('orchestrator', 1, '1', '2Gi') + hpa('orchestrator', 4) + deployment('monitoring', 1, '500m', '512Mi') + daemonSet,
    });
    expect(finding.message.split('\n').slice(1)).toEqual([
      'workload                       replicas                   cpu  memory',
      'Deployment fleet/orchestrator  4 (HPA orchestrator max)     4     8Gi',
      'Deployment fleet/monitoring    1 (replicas)              500m   512Mi',
      'DaemonSet fleet/agent          1 (1 per node × 1)        500m     1Gi',
      'total                                                       5   9.5Gi',
      'capacity (1 node)                                           4     8Gi',
    ]);
  });

  it('fails loudly on a malformed capacity instead of guessing', () => {
    const findings = runRule(rule, { name: 'bad', cluster: { capacity: { cpu: 'four' } }, yaml: deployment('a', 1, '1', '1Gi') });
    expect(findings.map((f) => [f.rule, f.message])).toEqual([['policy/rule-failed', expect.stringContaining('capacity.cpu of cluster test: "four"')]]);
  });
});

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-resources.test.ts.
function casesFoundByMutation(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
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
return {
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
      yaml: withMarkers(pod(`  initContainers:
    - { name: migrate, image: m:1, resources: { requests: { cpu: "2" } } }
  containers:
    - { name: app, image: app:1, resources: { requests: { cpu: 500m } } }
`), '⟦1⟧apiVersion: v1'),
      findings: [
        { at: '1', object: 'Pod fleet/p', messageId: 'overCapacity', data: { cluster: 'test', amounts: 'cpu 2 of 1', largest: 'Pod fleet/p', budget: 'workload           replicas  cpu  memory\nPod fleet/p        1 (pod)     2       0\ntotal                          2       0\ncapacity (1 node)              1       -' } },
      ],
    },
    {
      name: 'restartable init containers (sidecars) run beside the containers',
      cluster: { capacity: { cpu: '1' } },
      yaml: withMarkers(pod(`  initContainers:
    - { name: proxy, image: p:1, restartPolicy: Always, resources: { requests: { cpu: 800m } } }
  containers:
    - { name: app, image: app:1, resources: { requests: { cpu: 500m } } }
`), '⟦1⟧apiVersion: v1'),
      findings: [
        { at: '1', object: 'Pod fleet/p', messageId: 'overCapacity', data: { cluster: 'test', amounts: 'cpu 1300m of 1', largest: 'Pod fleet/p', budget: 'workload           replicas    cpu  memory\nPod fleet/p        1 (pod)   1300m       0\ntotal                        1300m       0\ncapacity (1 node)                1       -' } },
      ],
    },
    {
      name: 'an ordinary init container runs beside the sidecars started before it',
      cluster: { capacity: { cpu: '1' } },
      yaml: withMarkers(pod(`  initContainers:
    - { name: proxy, image: p:1, restartPolicy: Always, resources: { requests: { cpu: 600m } } }
    - { name: migrate, image: m:1, resources: { requests: { cpu: 600m } } }
  containers:
    - { name: app, image: app:1, resources: { requests: { cpu: 100m } } }
`), '⟦1⟧apiVersion: v1'),
      findings: [
        { at: '1', object: 'Pod fleet/p', messageId: 'overCapacity', data: { cluster: 'test', amounts: 'cpu 1200m of 1', largest: 'Pod fleet/p', budget: 'workload           replicas    cpu  memory\nPod fleet/p        1 (pod)   1200m       0\ntotal                        1200m       0\ncapacity (1 node)                1       -' } },
      ],
    },
    {
      name: 'a negative (invalid) request does not offset another container',
      cluster: { capacity: { cpu: '1' } },
      yaml: withMarkers(pod(`  containers:
    - { name: a, image: a:1, resources: { requests: { cpu: "-1" } } }
    - { name: b, image: b:1, resources: { requests: { cpu: 1500m } } }
`), '⟦1⟧apiVersion: v1'),
      findings: [
        { at: '1', object: 'Pod fleet/p', messageId: 'overCapacity', data: { cluster: 'test', amounts: 'cpu 1500m of 1', largest: 'Pod fleet/p', budget: 'workload           replicas    cpu  memory\nPod fleet/p        1 (pod)   1500m       0\ntotal                        1500m       0\ncapacity (1 node)                1       -' } },
      ],
    },
    {
      name: 'a ScaledObject without maxReplicaCount scales to KEDA\'s default of 100',
      cluster: { capacity: { cpu: '5' } },
      yaml: deployment('worker', '100m') + `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: worker, namespace: fleet }
⟦1⟧spec:
  scaleTargetRef: { name: worker }
`,
      findings: [
        { at: '1', object: 'ScaledObject fleet/worker', path: 'spec.maxReplicaCount', messageId: 'overCapacity', data: { cluster: 'test', amounts: 'cpu 10 of 5', largest: 'Deployment fleet/worker', budget: 'workload                 replicas                       cpu  memory\nDeployment fleet/worker  100 (ScaledObject worker max)   10       0\ntotal                                                    10       0\ncapacity (1 node)                                         5       -' } },
      ],
    },
    {
      name: 'ResourceQuota hard.cpu means requests.cpu',
      yaml: deployment('web', '1', 2) + `apiVersion: v1
kind: ResourceQuota
metadata: { name: compute, namespace: fleet }
spec:
  hard: { ⟦1⟧cpu: "1" }
`,
      findings: [
        { at: '1', object: 'ResourceQuota fleet/compute', path: 'spec.hard.cpu', messageId: 'overQuota', data: { quota: 'ResourceQuota fleet/compute', key: 'cpu', allowed: '1', namespace: 'fleet', used: '2', budget: 'workload              replicas      cpu  memory\nDeployment fleet/web  2 (replicas)    2       0\ntotal                                 2       0\nquota                                 1       -' } },
      ],
    },
  ],
};
}

describe('resources/cluster-capacity budget table', () => {
const fleetDeployment = (name: string, cpu: string, replicas = 1) => `apiVersion: apps/v1
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

  it('leaves out workloads scaled to zero', () => {
    const findings = runRule(rule, { name: 'zero', cluster: { capacity: { cpu: '1' } }, yaml: fleetDeployment('busy', '2') + fleetDeployment('idle', '8', 0) });
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('Deployment fleet/busy');
    expect(findings[0].message).not.toContain('idle');
  });
});
