// Malformed objects (wrong types where lists, maps or strings belong) never make an issue 14 rule fail.
import { describe, expect, it } from 'vitest';
import type { Rule } from '../tools/lib/core/rule.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';
import { ClusterGraph } from '../tools/lib/core/graph.ts';
import { defaultConfig } from '../tools/lib/core/config.ts';
import { evaluateRules } from '../tools/lib/core/evaluate.ts';
import probesRequired from '../policies/probes-required.ts';
import probesDistinct from '../policies/probes-distinct-liveness.ts';
import noWildcards from '../policies/rbac-no-wildcards.ts';
import sensitive from '../policies/rbac-sensitive-permissions.ts';
import token from '../policies/rbac-service-account-token.ts';
import secretLiteral from '../policies/security-secret-literal.ts';
import runtimeSocket from '../policies/security-runtime-socket.ts';
import duplicateEnv from '../policies/workloads-duplicate-env.ts';
import jobCleanup from '../policies/workloads-job-cleanup.ts';
import replicaSpread from '../policies/workloads-replica-spread.ts';

const MALFORMED = `apiVersion: apps/v1
kind: Deployment
metadata: {name: broken, namespace: shop}
spec:
  replicas: "three"
  template:
    metadata: {labels: "app=web"}
    spec:
      automountServiceAccountToken: "no"
      serviceAccountName: [a]
      topologySpreadConstraints: {maxSkew: 1}
      affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "x", preferredDuringSchedulingIgnoredDuringExecution: [null, {podAffinityTerm: 3}]}}
      volumes: [null, {name: v, hostPath: "/var/run/docker.sock"}, {name: w, hostPath: {path: 7}}]
      initContainers: "none"
      containers:
      - null
      - name: app
        env: {DB_PASSWORD: x}
        readinessProbe: "yes"
        livenessProbe: {httpGet: "x"}
      - name: app2
        env: [null, {name: 3, value: 4}, {value: "-----BEGIN PRIVATE KEY-----"}, {name: TOKEN}]
        readinessProbe: {exec: {command: ["true"]}}
        livenessProbe: {exec: {command: ["true"]}, periodSeconds: "30"}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: broken, namespace: shop}
spec: {scaleTargetRef: null, maxReplicas: "5"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: broken}
rules: [null, "x", {verbs: "*", resources: 5, apiGroups: [null, 3, "*"]}, {verbs: [null, "*"], resources: ["*", null]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: broken, namespace: shop}
rules: {verbs: ["*"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: broken, namespace: shop}
roleRef: "cluster-admin"
subjects: [null, {kind: ServiceAccount}, "x"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: broken}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: "everyone"
---
apiVersion: batch/v1
kind: Job
metadata: {name: broken, namespace: shop}
spec: "run"
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: broken, namespace: shop}
spec: {jobTemplate: [1]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: broken, namespace: shop}
data: ["API_TOKEN"]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: "false"
`;

// checkCluster leaves these objects out (render/malformed-object); the rules must tolerate them all the same
function runRule(rule: Rule<any>, { yaml }: { name: string; yaml: string }) {
  const config = defaultConfig();
  const settings = { name: 'malformed', kubernetesVersion: config.defaults.kubernetesVersion, podSecurityMinimum: 'restricted' as const };
  return evaluateRules({ settings, graph: new ClusterGraph('malformed', objectsFromYaml(yaml)), rules: [rule], config });
}

describe('issue 14 rules on malformed objects', () => {
  for (const rule of [probesRequired, probesDistinct, noWildcards, sensitive, token, secretLiteral, runtimeSocket, duplicateEnv, jobCleanup, replicaSpread]) {
    it(`${rule.id} reports without failing`, () => {
      const findings = runRule(rule, { name: 'malformed', yaml: MALFORMED });
      expect(findings.filter((f) => f.rule !== rule.id)).toEqual([]);
    });
  }

  it('what is still judgeable is judged', () => {
    const messages = (rule: any) => runRule(rule, { name: 'malformed', yaml: MALFORMED }).map((f) => f.message);
    expect(messages(noWildcards)).toEqual([
      'ClusterRole broken rules[2] grants every API group ("*" in apiGroups); name what it needs',
      'ClusterRole broken rules[3] grants every verb ("*" in verbs); name what it needs',
      'ClusterRole broken rules[3] grants every resource ("*" in resources); name what it needs',
    ]);
    expect(messages(sensitive)).toEqual(['ClusterRoleBinding broken grants cluster-admin (everything in the cluster) to no subject yet; bind a role that lists what they need']);
    expect(messages(jobCleanup)).toEqual([
      'Job shop/broken does not set backoffLimit; a failing Job is retried 6 times by default',
      'Job shop/broken does not set ttlSecondsAfterFinished; the finished Job and its pods are never removed',
      'CronJob shop/broken does not set backoffLimit; each failing run is retried 6 times by default',
    ]);
    expect(messages(probesDistinct)).toEqual([
      'container "app2" of Deployment shop/broken: livenessProbe repeats the readinessProbe (exec ["true"]) and it gives up after 30s, no later than readiness (30s), so a slow pod is restarted instead of only leaving the Service',
    ]);
  });
});
