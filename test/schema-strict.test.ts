import { describe, expect, it } from 'vitest';
import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/schema-strict.ts';
import { chooseRelease } from '../tools/lib/schema/kubernetes-schemas.ts';
import { nearestName } from '../tools/lib/schema/did-you-mean.ts';

const deployment = (container: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  creationTimestamp: null
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
${extra}      containers:
        - name: web
          image: registry.example.com/web:1.4.2
${container}`;

const widgetCrd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: { type: integer, minimum: 1 }
                port: { x-kubernetes-int-or-string: true, anyOf: [{ type: integer }, { type: string }] }
                timeout: { type: string, format: duration }
                color: { type: string, enum: [red, blue] }
                tags: { type: array, items: { type: string, nullable: true } }
                owners: { type: array, items: { type: string }, x-kubernetes-list-type: set }
                members:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name]
                  items: { type: object, required: [name], properties: { name: { type: string }, role: { type: string } } }
                extra: { type: object, x-kubernetes-preserve-unknown-fields: true }
                template: { type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true }
---
`;

const widget = (spec: string) => `${widgetCrd}apiVersion: example.com/v1
kind: Widget
metadata:
  name: blue
  namespace: shop
spec:
${spec}`;

ruleTester(rule, {
  valid: [
    { name: 'a correct Deployment (null fields count as absent)', yaml: deployment('          imagePullPolicy: IfNotPresent\n          ports:\n            - { name: http, containerPort: 8080 }\n            - { name: dns, containerPort: 8053, protocol: UDP }\n            - { name: dns-tcp, containerPort: 8053 }\n          resources:\n            limits: { cpu: 500m, memory: 128Mi }\n            requests: { cpu: 0.1, memory: 64Mi }\n') },
    { name: 'a Service with a named and a numeric targetPort (int-or-string)', yaml: 'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec:\n  selector: { app: web }\n  ports:\n    - { name: http, port: 80, targetPort: http }\n    - { name: metrics, port: 9090, targetPort: 9090 }\n' },
    { name: 'a cert-manager Certificate against the committed CRD schema', yaml: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: { name: web, namespace: shop }\nspec:\n  secretName: web-tls\n  dnsNames: [web.example.com]\n  duration: 2160h\n  issuerRef: { name: letsencrypt, kind: ClusterIssuer }\n' },
    { name: 'a custom resource against its rendered CRD: int-or-string, nullable items, preserved and embedded fields', yaml: widget('  size: 3\n  port: http\n  timeout: 1m30s\n  color: red\n  tags: [a, null]\n  owners: [ann, bob]\n  members: [{ name: ann }, { name: bob, role: admin }]\n  extra: { anything: { goes: true } }\n  template: { apiVersion: v1, kind: ConfigMap, metadata: { name: x }, data: { a: b } }\n') },
  ],
  invalid: [
    {
      name: 'a misspelt and a lower-case field, with did-you-mean',
      yaml: deployment('          imagePullPolice: Always\n          livenessprobe:\n            httpGet: { path: /healthz, port: 8080 }\n'),
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].imagePullPolice', line: 18, message: 'unknown field "imagePullPolice" in spec.template.spec.containers[0]; did you mean "imagePullPolicy"?' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].livenessprobe', line: 19, message: 'unknown field "livenessprobe" in spec.template.spec.containers[0]; did you mean "livenessProbe"?' },
      ],
    },
    {
      name: 'an unknown field with no near name',
      yaml: deployment('          sidecarMode: true\n'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].sidecarMode', line: 18, message: 'unknown field "sidecarMode" in spec.template.spec.containers[0]' }],
    },
    {
      name: 'a string where an integer belongs',
      yaml: deployment('').replace('replicas: 2', 'replicas: "two"'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.replicas', line: 8, message: 'spec.replicas must be an integer, not the string "two"' }],
    },
    {
      name: 'a value outside the enum',
      yaml: deployment('          imagePullPolicy: Sometimes\n'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].imagePullPolicy', line: 18, message: 'spec.template.spec.containers[0].imagePullPolicy must be one of Always, IfNotPresent, Never, not the string "Sometimes"' }],
    },
    {
      name: 'a missing required field',
      yaml: deployment('        - image: registry.example.com/sidecar:2.0\n'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[1]', line: 18, message: 'spec.template.spec.containers[1] is missing the required field "name"' }],
    },
    {
      name: 'int-or-string given a boolean',
      yaml: 'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec:\n  ports:\n    - port: 80\n      targetPort: true\n',
      findings: [{ object: 'Service shop/web', path: 'spec.ports[0].targetPort', line: 7, message: 'spec.ports[0].targetPort must be an integer or a string, not the boolean true' }],
    },
    {
      name: 'a quantity that is not one',
      yaml: deployment('          resources:\n            limits: { memory: 1.5GB }\n'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.limits.memory', line: 19, message: 'spec.template.spec.containers[0].resources.limits.memory must be a quantity such as 500m, 128Mi or 2, not the string "1.5GB"' }],
    },
    {
      name: 'duplicate container names, env names and ports on the same protocol (a port without protocol is TCP)',
      yaml: deployment('          env:\n            - { name: LOG_LEVEL, value: info }\n            - { name: LOG_LEVEL, value: debug }\n          ports:\n            - { containerPort: 8080 }\n            - { containerPort: 8080, protocol: TCP }\n        - name: web\n          image: registry.example.com/web:1.4.2\n'),
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].env[1]', line: 20, message: 'spec.template.spec.containers[0].env[1] repeats name "LOG_LEVEL" of env[0]; this list is keyed by name, and the API server (server-side apply) rejects duplicate keys' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].ports[1]', line: 23, message: 'spec.template.spec.containers[0].ports[1] repeats containerPort 8080, protocol "TCP" of ports[0]; this list is keyed by containerPort and protocol, and the API server (server-side apply) rejects duplicate keys' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[1]', line: 24, message: 'spec.template.spec.containers[1] repeats name "web" of containers[0]; this list is keyed by name, and the API server (server-side apply) rejects duplicate keys' },
      ],
    },
    {
      name: 'a custom resource against its rendered CRD: unknown field, type, enum, minimum, duration, set and map keys, embedded resource without kind',
      yaml: widget('  size: 0\n  sise: 3\n  port: 1.5\n  timeout: soon\n  color: green\n  tags: [1]\n  owners: [ann, ann]\n  members: [{ name: ann }, { name: ann }]\n  template: { apiVersion: v1 }\n'),
      findings: [
        { object: 'Widget shop/blue', path: 'spec.size', line: 41, message: 'spec.size must be >= 1' },
        { object: 'Widget shop/blue', path: 'spec.sise', line: 42, message: 'unknown field "sise" in spec; did you mean "size"?' },
        { object: 'Widget shop/blue', path: 'spec.port', line: 43, message: 'spec.port must be an integer or a string, not the number 1.5' },
        { object: 'Widget shop/blue', path: 'spec.timeout', line: 44, message: 'spec.timeout must be a duration such as 30s, 5m or 1h30m, not the string "soon"' },
        { object: 'Widget shop/blue', path: 'spec.color', line: 45, message: 'spec.color must be one of red, blue, not the string "green"' },
        { object: 'Widget shop/blue', path: 'spec.tags[0]', line: 46, message: 'spec.tags[0] must be a string, not the number 1' },
        { object: 'Widget shop/blue', path: 'spec.owners[1]', line: 47, message: 'spec.owners[1] repeats "ann" of owners[0]; this list is a set, and the API server (server-side apply) rejects duplicate keys' },
        { object: 'Widget shop/blue', path: 'spec.members[1]', line: 48, message: 'spec.members[1] repeats name "ann" of members[0]; this list is keyed by name, and the API server (server-side apply) rejects duplicate keys' },
        { object: 'Widget shop/blue', path: 'spec.template', line: 49, message: 'spec.template is missing the required field "kind"' },
      ],
    },
    {
      name: 'a committed chart CRD (cert-manager): wrong type and unknown field',
      yaml: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: { name: web, namespace: shop }\nspec:\n  secretName: web-tls\n  isCA: "yes"\n  issuerRef: { name: letsencrypt, kindd: ClusterIssuer }\n',
      findings: [
        { object: 'Certificate shop/web', path: 'spec.isCA', line: 6, message: 'spec.isCA must be a boolean (true or false), not the string "yes"' },
        { object: 'Certificate shop/web', path: 'spec.issuerRef.kindd', line: 7, message: 'unknown field "kindd" in spec.issuerRef; did you mean "kind"?' },
      ],
    },
    {
      name: 'a custom resource with no known schema is reported as not validated',
      yaml: 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: { name: g, namespace: shop }\nspec: { anything: 1 }\n',
      findings: [{ object: 'Gadget shop/g', path: 'apiVersion', line: 1, message: 'Gadget shop/g is not validated: no schema is known for example.com/v1 Gadget: no CustomResourceDefinition in this cluster or in schemas/crds/ defines it' }],
    },
    {
      name: 'a rendered CRD whose schema is not a map: the CRD is an error, its custom resources are not validated',
      yaml: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: weirds.example.com }\nspec: { group: example.com, scope: Namespaced, names: { kind: Weird, plural: weirds }, versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: "nonsense" } }] }\n---\napiVersion: example.com/v1\nkind: Weird\nmetadata: { name: w, namespace: shop }\nspec: { a: 1 }\n',
      findings: [
        { object: 'CustomResourceDefinition weirds.example.com', path: 'spec.versions[0].schema.openAPIV3Schema', line: 4, message: 'spec.versions[0].schema.openAPIV3Schema must be a map, not the string "nonsense"' },
        { object: 'Weird shop/w', path: 'apiVersion', line: 6, message: 'Weird shop/w is not validated: CustomResourceDefinition weirds.example.com has no openAPIV3Schema map for example.com/v1' },
      ],
    },
    {
      name: 'a cluster release without committed schemas is validated against the nearest, said once',
      cluster: { kubernetesVersion: '1.30' },
      yaml: deployment('').replace('replicas: 2', 'replicas: "two"') + '---\n' + deployment('').replace('name: web\n  namespace', 'name: api\n  namespace'),
      findings: [
        { line: undefined as unknown as number, message: 'no schemas are committed for Kubernetes 1.30; objects are validated against the nearest release, 1.33.13 (schemas/kubernetes/v1.33.13.json)' },
        { object: 'Deployment shop/web', path: 'spec.replicas', line: 8, message: 'spec.replicas must be an integer, not the string "two"' },
      ],
    },
  ],
});

describe('schema release choice', () => {
  it('takes the same minor, else the nearest (newer on a tie)', () => {
    expect(chooseRelease('1.33', ['1.31.4', '1.33.13'])).toEqual({ release: '1.33.13', fallback: false });
    expect(chooseRelease('v1.33.2', ['1.31.4', '1.33.13'])).toEqual({ release: '1.33.13', fallback: false });
    expect(chooseRelease('1.32', ['1.31.4', '1.33.13'])).toEqual({ release: '1.33.13', fallback: true });
    expect(chooseRelease('1.28', ['1.31.4', '1.33.13'])).toEqual({ release: '1.31.4', fallback: true });
    expect(chooseRelease('1.33', [])).toBeUndefined();
  });
});

describe('did you mean', () => {
  it('suggests near names only', () => {
    expect(nearestName('imagePullPolice', ['image', 'imagePullPolicy', 'name'])).toBe('imagePullPolicy');
    expect(nearestName('livenessprobe', ['livenessProbe', 'readinessProbe'])).toBe('livenessProbe');
    expect(nearestName('sidecarMode', ['image', 'imagePullPolicy', 'name'])).toBeUndefined();
  });
});
