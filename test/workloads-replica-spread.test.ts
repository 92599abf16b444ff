import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/workloads-replica-spread.ts';

const web = (replicas: string, podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
${replicas}  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
${podSpec}      containers:
      - name: web
        image: web:1.0
---
`;

const hpa = (max: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: shop
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: ${max}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'spread by topologySpreadConstraints selecting its own pods',
      yaml: web('  replicas: 3\n', `      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels: {app.kubernetes.io/name: web}
`),
    },
    {
      name: 'spread by preferred podAntiAffinity (matchExpressions), or by matchLabelKeys',
      yaml: `${web('  replicas: 2\n', `      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector:
                matchExpressions:
                - {key: app.kubernetes.io/name, operator: In, values: [web]}
`)}apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  replicas: 3
  template:
    spec:
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [controller-revision-hash]}
      containers:
      - name: db
        image: postgres:16.4
`,
    },
    {
      name: 'one replica, an HPA capped at one, and a DaemonSet are not judged',
      yaml: `${web('  replicas: 1\n', '')}${hpa(1)}---
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
`,
    },
  ],
  invalid: [
    {
      name: 'three replicas without any spread',
      yaml: web('  replicas: 3\n', ''),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.topologySpreadConstraints', line: 12, message: 'Deployment shop/web can run 3 replicas (spec.replicas) but no topologySpreadConstraints or podAntiAffinity term selects its own pods; they may all land on one node' }],
    },
    {
      name: 'an HPA that scales to 4, and a spread whose selector names another app',
      yaml: `${web('', `      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels: {app.kubernetes.io/name: api}
`)}${hpa(4)}`,
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.topologySpreadConstraints', line: 12, message: 'Deployment shop/web can run 4 replicas (HorizontalPodAutoscaler shop/web maxReplicas) but no topologySpreadConstraints or podAntiAffinity term selects its own pods; they may all land on one node' }],
    },
  ],
});
