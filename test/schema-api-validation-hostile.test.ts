// Objects of the wrong shape (what schema/strict reports) never make the API validation rules throw or report nonsense.
import { describe, expect, it } from 'vitest';
import { runRule } from '../tools/lib/core/rule-tester.ts';
import fields from '../policies/schema-api-fields.ts';
import metadata from '../policies/schema-api-metadata.ts';
import namespaces from '../policies/schema-namespace-admission.ts';
import limitRange from '../policies/schema-limit-range.ts';

const HOSTILE = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop, labels: [a, b], annotations: "text" }
spec: { ports: { port: 70000 }, selector: [app] }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { version: 1.5 } }
spec:
  os: windows
  securityContext: privileged
  initContainers: web
  containers:
    - null
    - { name: 7, image: nginx:1.27, ports: [80, { containerPort: "80" }], securityContext: [x], resources: { limits: cpu } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec: { selector: [app], strategy: { rollingUpdate: 0 }, template: "none" }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: shop }
spec: { minReplicas: "5", maxReplicas: two }
---
apiVersion: v1
kind: LimitRange
metadata: { name: limits, namespace: shop }
spec: { limits: [null, { type: Pod, max: { cpu: lots } }, { type: Container, max: [1], default: { cpu: "2" } }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec: { rules: [{ http: { paths: [null, { path: 7, pathType: Prefix }] } }] }
---
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { pod-security.kubernetes.io/enforce-version: 1.33 } }
`;

describe('API validation rules on objects of the wrong shape', () => {
  it('report only what they can read, and never throw', () => {
    const findings = [fields, metadata, namespaces, limitRange].flatMap((rule) => runRule(rule, { name: 'hostile', yaml: HOSTILE }));
    // the engine sets objects of the wrong shape aside (one render/malformed-object each, for every rule run)
    const malformed = new Set(findings.filter((f) => f.rule === 'render/malformed-object').map((f) => `${f.object?.kind} ${f.object?.name}`));
    expect([...malformed].sort()).toEqual(['Deployment web', 'HorizontalPodAutoscaler web', 'LimitRange limits', 'Namespace shop', 'Pod web', 'Service web']);
    expect(findings.filter((f) => f.rule !== 'render/malformed-object').map((f) => `${f.rule} ${f.message}`)).toEqual([
      // an Ingress path that is a number is read as "" (schema/strict reports its type)
      'schema/api-fields spec.rules[0].http.paths[1].path is refused by the API server: Invalid value: "": must be an absolute path',
      // the malformed Namespace is refused, so the Ingress in it is refused too
      'schema/namespace-admission namespace "shop" is not rendered in this cluster and is not one the cluster has by itself (default, kube-system, kube-public, kube-node-lease): the API server refuses the Ingress with namespaces "shop" not found',
    ]);
  });
});

describe('API validation rules on well-formed objects with odd values', () => {
  it('an empty label key, a number where a port name could be, a container without a name', () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: default, labels: { "": x } }
spec:
  initContainers: [{ image: busybox:1.36 }]
  containers: [{ name: web, image: nginx:1.27, ports: [{ containerPort: 0 }] }]
`;
    const findings = [fields, metadata, namespaces, limitRange].flatMap((rule) => runRule(rule, { name: 'odd', yaml }));
    expect(findings.map((f) => `${f.rule} ${f.message}`)).toEqual([
      'schema/api-metadata label key metadata.labels[""] is refused by the API server: Invalid value: "": name part must be non-empty',
      "schema/api-metadata label key metadata.labels[\"\"] is refused by the API server: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
  });
});
