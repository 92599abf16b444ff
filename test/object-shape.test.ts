// The shape check: what it refuses (exact messages), what it lets through, and the one finding per object.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { partitionByShape, shapeProblems } from '../tools/lib/core/object-shape.ts';
import { malformedObjectFindings } from '../tools/lib/core/malformed-findings.ts';
import { memorySourceReader } from '../tools/lib/core/locate.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';
import { ClusterGraph } from '../tools/lib/core/graph.ts';

const messages = (yaml: string) => shapeProblems(parse(yaml)).map((p) => p.message);

const deployment = (podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
${podSpec}`;

describe('shapeProblems', () => {
  it('accepts well-formed objects, nulls where the API treats null as unset, and kinds it knows nothing about', () => {
    expect(messages(deployment('      containers:\n        - name: web\n          image: nginx:1.27\n          env: null\n'))).toEqual([]);
    expect(messages('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: 5\n')).toEqual([]);
    expect(messages('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {A: "1"}\n')).toEqual([]);
  });

  it('names missing and mistyped identity fields', () => {
    expect(messages('kind: ConfigMap\nmetadata: {name: c}\n')).toEqual(['apiVersion is missing']);
    expect(messages('apiVersion: 1\nkind: ConfigMap\nmetadata: {name: c}\n')).toEqual(['apiVersion is the number 1, expected a non-empty string']);
    expect(messages('apiVersion: v1\nkind: [ConfigMap]\nmetadata: {name: c}\n')).toEqual(['kind is a list, expected a non-empty string']);
    expect(messages('apiVersion: v1\nkind: ConfigMap\n')).toEqual(['metadata is missing']);
    expect(messages('apiVersion: v1\nkind: ConfigMap\nmetadata: web\n')).toEqual(['metadata is the string "web", expected a map']);
    expect(messages('apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: 7}\n')).toEqual(['metadata.namespace is the number 7, expected a string']);
    expect(messages('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 5}\n')).toEqual(['metadata.name is the number 5, expected a string']);
    expect(messages('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {app.kubernetes.io/name: true}}\n')).toEqual([
      'metadata.labels["app.kubernetes.io/name"] is the boolean true, expected a string',
    ]);
    expect(shapeProblems(['a list'])).toEqual([{ path: [], message: 'the document is a list, expected a map' }]);
  });

  it('names the first wrong field of a pod template, wherever the workload keeps it', () => {
    expect(messages(deployment('      containers: {name: web}\n'))).toEqual(['spec.template.spec.containers is a map, expected a list']);
    // an unnamed container is not a shape problem (Knative allows it; schema/strict reports it on built-in kinds)
    expect(messages(deployment('      containers:\n        - image: nginx:1.27\n'))).toEqual([]);
    expect(messages(deployment('      containers:\n        - name: web\n          env: [{value: x}]\n'))).toEqual(['spec.template.spec.containers[0].env[0].name is missing']);
    expect(messages(deployment('      containers:\n        - name: web\n          ports: [{containerPort: 1e400}]\n'))).toEqual([
      'spec.template.spec.containers[0].ports[0].containerPort is the number Infinity, expected an integer',
    ]);
    expect(messages(deployment('      containers:\n        - name: web\n          resources: {limits: {cpu: {}}}\n'))).toEqual([
      'spec.template.spec.containers[0].resources.limits.cpu is a map, expected a number or a string',
    ]);
    expect(messages('apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  jobTemplate:\n    spec:\n      template: [x]\n')).toEqual([
      'spec.jobTemplate.spec.template is a list, expected a map',
    ]);
    expect(messages('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [5]\n')).toEqual(['spec.initContainers[0] is the number 5, expected a map']);
    expect(messages('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: web\n')).toEqual(['spec is the string "web", expected a map']);
    expect(messages('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: "3"\n  selector: {matchExpressions: {key: app}}\n')).toEqual([
      'spec.selector.matchExpressions is a map, expected a list',
      'spec.replicas is the string "3", expected an integer',
    ]);
  });

  it('checks Services, NetworkPolicies and ConfigMaps where the rules walk them', () => {
    expect(messages('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: {port: 80}\n')).toEqual(['spec.ports is a map, expected a list']);
    expect(messages('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: [web]}\n  ports: [{targetPort: http}]\n')).toEqual([
      'spec.selector.app is a list, expected a string',
      'spec.ports[0].port is missing',
    ]);
    expect(messages('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  egress:\n    - to: [{ipBlock: {except: [10.0.0.0/8]}}]\n')).toEqual([
      'spec.egress[0].to[0].ipBlock.cidr is missing',
    ]);
    expect(messages('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {PORT: 8080}\n')).toEqual(['data.PORT is the number 8080, expected a string']);
  });
});

describe('partitionByShape and the render/malformed-object finding', () => {
  const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: good
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          ports: 8080
          env: {A: b}
          volumeMounts: [x]
          args: {a: 1}
          command: [sh, -c, true, 1]
---
kind: ConfigMap
metadata:
  labels: {app: 1}
`;

  it('keeps the readable objects in order and reports each malformed one once, at its first wrong field', () => {
    const { kept, malformed } = partitionByShape(objectsFromYaml(yaml));
    expect(kept.map((o) => o.object.metadata.name)).toEqual(['good']);
    expect(malformed.map((m) => m.problems.length)).toEqual([4, 2]);
    const findings = malformedObjectFindings('shop', malformed, memorySourceReader({ 'case.yaml': yaml }));
    expect(findings.map(({ fingerprint, ...rest }) => rest)).toEqual([
      {
        rule: 'render/malformed-object',
        severity: 'error',
        cluster: 'shop',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' },
        path: ['spec', 'template', 'spec', 'containers', 0, 'ports'],
        message:
          'Deployment shop/web is malformed: spec.template.spec.containers[0].ports is the number 8080, expected a list; ' +
          'spec.template.spec.containers[0].env is a map, expected a list; spec.template.spec.containers[0].volumeMounts[0] is the string "x", expected a map ' +
          '(and 1 more); the API server would reject it, and no other rule checks it until it is fixed',
        location: { file: 'case.yaml', line: 16, column: 11 },
      },
      {
        rule: 'render/malformed-object',
        severity: 'error',
        cluster: 'shop',
        path: ['apiVersion'],
        message:
          'ConfigMap without a name is malformed: apiVersion is missing; metadata.labels.app is the number 1, expected a string; ' +
          'the API server would reject it, and no other rule checks it until it is fixed',
        location: { file: 'case.yaml', line: 22, column: 1 },
      },
    ]);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('the graph never sees a malformed object, and its accessors tolerate one handed to them anyway', () => {
    const { kept } = partitionByShape(objectsFromYaml(yaml));
    expect(new ClusterGraph('shop', kept).all().map((o) => o.kind)).toEqual(['ConfigMap']);
    const raw = [
      { object: { apiVersion: 1, kind: 'Deployment', metadata: { name: 7, namespace: [] }, spec: { template: { metadata: { labels: 'app=web' }, spec: { containers: 5 } } } } },
      { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: 'x' } } },
      { object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: 'app=web' } } },
    ].map((o) => ({ ...o, origin: { transformedBy: [] }, entryPoint: 'x' })) as any;
    const graph = new ClusterGraph('shop', raw);
    expect(graph.podTemplates).toEqual([]);
    expect(graph.namespaceLabels('shop')).toEqual({ 'kubernetes.io/metadata.name': 'shop' });
    expect(graph.podsBehind(raw[2].object)).toEqual([]);
    expect(graph.byKind('Service', 'default')).toHaveLength(1);
  });
});
