// One identity: the API group is part of an object's key, so a custom resource that reuses a built-in kind's
// name (Knative's serving.knative.dev Service) never hides, or stands in for, the core object.
import { describe, expect, it } from 'vitest';
import { runRule, objectsFromYaml } from '../../tools/lib/core/rule-tester.ts';
import { ClusterGraph } from '../../tools/lib/core/graph.ts';
import { describeRef, objectKey } from '../../tools/lib/core/identity.ts';
import { fingerprintOf } from '../../tools/lib/core/fingerprint.ts';
import danglingReference from '../../policies/ports-dangling-reference.ts';
import pinnedTag from '../../policies/images-pinned-tag.ts';

const CORE_SERVICE = `apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  selector: { app: api }
  ports: [{ name: http, port: 8080, targetPort: 8080 }]
`;
const CLIENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env:
            - name: API_URL
              value: http://api:9090
`;
const KNATIVE_SERVICE = `apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  template:
    spec:
      containers: [{ image: "ghcr.io/example/api:1.0" }]
`;

const summary = (yaml: string) =>
  runRule(danglingReference, { name: 'case', yaml }).map((f) => ({ rule: f.rule, object: f.object && describeRef(f.object), line: f.location?.line, message: f.message }));

describe('object identity includes the API group', () => {
  it('a Knative Service named like a core Service does not hide it from the ports rules', () => {
    const expected = [
      {
        rule: 'ports/dangling-reference',
        object: 'Deployment shop/web',
        line: 21,
        message: 'Deployment shop/web env API_URL dials "http://api:9090", but Service shop/api exposes 8080/TCP (http), not 9090',
      },
    ];
    expect(summary(`${CORE_SERVICE}---\n${CLIENT}`)).toEqual(expected);
    expect(summary(`${CORE_SERVICE}---\n${CLIENT}---\n${KNATIVE_SERVICE}`)).toEqual(expected);
    expect(summary(`${KNATIVE_SERVICE}---\n${CORE_SERVICE}---\n${CLIENT}`).map((f) => f.message)).toEqual([expected[0].message]);
  });

  it('the graph keeps both objects and finds each by its group', () => {
    const graph = new ClusterGraph('test', objectsFromYaml(`${CORE_SERVICE}---\n${KNATIVE_SERVICE}`));
    expect(graph.byKind('Service').map((o) => o.apiVersion)).toEqual(['v1']);
    expect(graph.byKind('Service', 'shop', 'serving.knative.dev').map((o) => o.apiVersion)).toEqual(['serving.knative.dev/v1']);
    expect(graph.get('Service', 'shop', 'api')?.apiVersion).toBe('v1');
    expect(graph.resolve({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', namespace: 'shop', name: 'api' })?.apiVersion).toBe('serving.knative.dev/v1');
  });

  it('keys, labels and fingerprints tell the two apart', () => {
    const core = { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'api' };
    const knative = { ...core, apiVersion: 'serving.knative.dev/v1' };
    expect(objectKey(core)).not.toBe(objectKey(knative));
    expect(objectKey(core)).toBe(objectKey({ ...core, apiVersion: 'v1' }));
    expect(objectKey({ ...knative, apiVersion: 'serving.knative.dev/v2' })).toBe(objectKey(knative));
    expect(describeRef(core)).toBe('Service shop/api');
    expect(describeRef(knative)).toBe('Service.serving.knative.dev shop/api');
    expect(describeRef({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', namespace: 'shop', name: 'api' })).toBe('ServiceMonitor shop/api');
    expect(fingerprintOf('r', 'c', core, ['spec'])).not.toBe(fingerprintOf('r', 'c', knative, ['spec']));
  });
});

describe('locate matches the namespace of the document', () => {
  it("reports b's floating tag at b's image line, not a's", () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: a }
spec:
  containers:
    - name: web
      image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: b }
spec:
  containers:
    - name: web
      image: nginx:latest
`;
    const findings = runRule(pinnedTag, { name: 'two namespaces', yaml });
    expect(findings.map((f) => ({ object: describeRef(f.object!), line: f.location?.line, column: f.location?.column }))).toEqual([
      { object: 'Pod b/web', line: 15, column: 7 },
    ]);
  });
});
