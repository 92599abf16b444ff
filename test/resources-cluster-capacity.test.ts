import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../tools/lib/core/rule-tester.ts';
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
  ],
  invalid: [
    {
      name: 'HPA maxReplicas overflows the board; the finding sits on the largest share',
      cluster: k3s,
      yaml: deployment('orchestrator', 1, '1', '2Gi') + hpa('orchestrator', 4) + deployment('monitoring', 1, '500m', '512Mi'),
      findings: [
        {
          object: 'HorizontalPodAutoscaler fleet/orchestrator',
          path: 'spec.maxReplicas',
          line: 21,
          message: 'cluster test needs cpu 4500m of 4 and memory 8.5Gi of 8Gi requested at maximum scale; the largest share is Deployment fleet/orchestrator',
        },
      ],
    },
    {
      name: 'DaemonSets count once per declared node',
      cluster: { capacity: { cpu: '1500m', memory: '16Gi', nodes: 3 } },
      yaml: deployment('orchestrator', 1, '500m', '1Gi') + daemonSet,
      findings: [{ object: 'DaemonSet fleet/agent', path: 'spec.template.spec', line: 20, message: 'cluster test needs cpu 2 of 1500m requested at maximum scale; the largest share is DaemonSet fleet/agent' }],
    },
    {
      name: 'ResourceQuota exceeded',
      yaml: deployment('orchestrator', 3, '1', '2Gi') + `apiVersion: v1
kind: ResourceQuota
metadata: { name: fleet, namespace: fleet }
spec:
  hard:
    requests.cpu: "2"
    memory: 8Gi
    pods: "2"
`,
      findings: [
        { object: 'ResourceQuota fleet/fleet', path: 'spec.hard["requests.cpu"]', line: 20, message: 'ResourceQuota fleet/fleet allows requests.cpu 2, but namespace fleet needs 3 at maximum scale' },
        { object: 'ResourceQuota fleet/fleet', path: 'spec.hard.pods', line: 22, message: 'allows 2 pods, but namespace fleet runs 3 at maximum scale' },
      ],
    },
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
