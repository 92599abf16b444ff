import { describe, expect, it } from 'vitest';
import { runRule, objectsFromYaml, CASE_FILE } from '../tools/lib/core/rule-tester.ts';
import { ClusterGraph } from '../tools/lib/core/graph.ts';
import { defaultConfig } from '../tools/lib/core/config.ts';
import { checkCluster } from '../tools/lib/core/check-cluster.ts';
import { memorySourceReader } from '../tools/lib/core/locate.ts';
import { describeRef } from '../tools/lib/core/rule.ts';
import { formatPath } from '../tools/lib/core/yaml-source.ts';
import type { Finding } from '../tools/lib/core/types.ts';
import podSecurity from '../policies/security-pod-security.ts';
import pinnedTag from '../policies/images-pinned-tag.ts';

const deploymentConfig = `apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata:
  name: legacy
  namespace: shop
spec:
  replicas: 1
  template:
    metadata:
      labels: { app: legacy }
    spec:
      hostPID: true
      containers:
        - name: app
          image: registry.example.com/legacy:latest
          securityContext:
            privileged: true
`;

const summary = (findings: Finding[]) => findings.map((f) => ({ rule: f.rule, object: f.object && describeRef(f.object), path: f.path && formatPath(f.path), line: f.location?.line, message: f.message }));

describe('pod templates of every workload kind', () => {
  it('an OpenShift DeploymentConfig with hostPID, privileged and :latest gives those findings', () => {
    const security = summary(runRule(podSecurity, { name: 'dc', yaml: deploymentConfig, cluster: { podSecurityMinimum: 'baseline' } }));
    expect(security).toEqual([
      { rule: 'security/pod-security', object: 'DeploymentConfig shop/legacy', path: 'spec.template.spec.hostPID', line: 12, message: "hostNamespaces (Pod Security baseline, v1.33): the pod must not set hostPID=true (it shares the node's PID namespace); the cluster minimum is baseline" },
      { rule: 'security/pod-security', object: 'DeploymentConfig shop/legacy', path: 'spec.template.spec.containers[0].securityContext.privileged', line: 17, message: 'privileged (Pod Security baseline, v1.33): container "app" must not set securityContext.privileged=true; the cluster minimum is baseline' },
    ]);
    const images = summary(runRule(pinnedTag, { name: 'dc', yaml: deploymentConfig }));
    expect(images).toEqual([{ rule: 'images/pinned-tag', object: 'DeploymentConfig shop/legacy', path: 'spec.template.spec.containers[0].image', line: 15, message: 'container "app" of DeploymentConfig shop/legacy uses the floating tag "latest" in "registry.example.com/legacy:latest"' }]);
  });

  it('Knative Services have pod templates; core Services do not', () => {
    const yaml = `apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: hello, namespace: shop }
spec:
  template:
    spec:
      containers:
        - name: user-container
          image: registry.example.com/hello:latest
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  ports: [{ port: 80 }]
`;
    const graph = new ClusterGraph('test', objectsFromYaml(yaml));
    expect(graph.podTemplates.map((t) => [describeRef({ ...t.owner, name: t.owner.metadata.name! } as any), formatPath(t.specPath)])).toEqual([['Service.serving.knative.dev hello', 'spec.template.spec']]);
    expect(summary(runRule(pinnedTag, { name: 'ksvc', yaml }))).toEqual([{ rule: 'images/pinned-tag', object: 'Service.serving.knative.dev shop/hello', path: 'spec.template.spec.containers[0].image', line: 9, message: 'container "user-container" of Service.serving.knative.dev shop/hello uses the floating tag "latest" in "registry.example.com/hello:latest"' }]);
  });

  it('core PodTemplate, CronJob and Argo Rollouts are found', () => {
    const yaml = `apiVersion: v1
kind: PodTemplate
metadata: { name: tpl, namespace: shop }
template:
  spec:
    containers: [{ name: a, image: "x:latest" }]
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly, namespace: shop }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{ name: a, image: "x:latest" }]
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: canary, namespace: shop }
spec:
  template:
    spec:
      containers: [{ name: a, image: "x:latest" }]
`;
    const graph = new ClusterGraph('test', objectsFromYaml(yaml));
    expect(graph.podTemplates.map((t) => `${t.owner.kind} ${formatPath(t.specPath)}`)).toEqual(['PodTemplate template.spec', 'CronJob spec.jobTemplate.spec.template.spec', 'Rollout spec.template.spec']);
  });

  it('a custom kind declared in the config (workloadKinds) is seen by the pod rules', () => {
    const yaml = `apiVersion: batch.example.com/v1
kind: Worker
metadata: { name: crunch, namespace: shop }
spec:
  pod:
    metadata: { labels: { app: crunch } }
    spec:
      containers:
        - name: crunch
          image: registry.example.com/crunch:latest
`;
    const undeclared = new ClusterGraph('test', objectsFromYaml(yaml));
    expect(undeclared.podTemplates).toEqual([]);
    const graph = new ClusterGraph('test', objectsFromYaml(yaml), [{ group: 'batch.example.com', kind: 'Worker', podTemplatePath: ['spec', 'pod'] }]);
    expect(graph.podTemplates.map((t) => formatPath(t.specPath))).toEqual(['spec.pod.spec']);
    const config = { ...defaultConfig(), workloadKinds: [{ group: 'batch.example.com', kind: 'Worker', podTemplatePath: ['spec', 'pod'] }] };
    const { findings } = checkCluster({ objects: objectsFromYaml(yaml), settings: { name: 'test', kubernetesVersion: '1.33', podSecurityMinimum: 'restricted' }, config, rules: [pinnedTag], sources: memorySourceReader({ [CASE_FILE]: yaml }), today: new Date() });
    expect(summary(findings)).toEqual([{ rule: 'images/pinned-tag', object: 'Worker shop/crunch', path: 'spec.pod.spec.containers[0].image', line: 10, message: 'container "crunch" of Worker shop/crunch uses the floating tag "latest" in "registry.example.com/crunch:latest"' }]);
  });
});
