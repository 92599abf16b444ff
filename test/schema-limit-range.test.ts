import { describe, expect, it } from 'vitest';
import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/schema-limit-range.ts';
import { canonicalQuantity } from '../tools/lib/api-validation/quantity-text.ts';
import { parseQuantity } from '../tools/lib/resources/quantity.ts';

const limitRange = (limits: string) => `apiVersion: v1
kind: LimitRange
metadata:
  name: limits
  namespace: shop
spec:
  limits:
${limits}
---
`;

/** A Deployment in shop with two containers; `resources` gives each container's resources block (flow style). */
const deployment = (app: string, sidecar: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
${app}
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
          resources:
${sidecar}
---
`;

const limits = (cpu: string, memory: string, marker = '') => `            limits: { ${marker}cpu: "${cpu}", memory: ${memory} }\n            requests: { cpu: 100m, memory: 64Mi }`;

const REFUSED = 'is refused by the API server: Invalid value:';

ruleTester(rule, {
  valid: [
    {
      name: 'a consistent LimitRange and a workload inside it',
      yaml:
        limitRange('    - type: Container\n      min: { cpu: 10m }\n      max: { cpu: "1", memory: 1Gi }\n      default: { cpu: 500m, memory: 512Mi }\n      defaultRequest: { cpu: 100m, memory: 128Mi }\n    - type: Pod\n      max: { cpu: "2", memory: 2Gi }') +
        deployment(limits('1', '1Gi'), limits('1', '1Gi')),
    },
    {
      name: 'containers without limits take the Container default, and the pod fits the Pod max',
      yaml: limitRange('    - type: Container\n      default: { cpu: 500m }\n    - type: Pod\n      max: { cpu: "1" }') + deployment('            requests: { cpu: 100m }', '            requests: { cpu: 100m }'),
    },
  ],
  invalid: [
    {
      name: 'a LimitRange whose default exceeds max, defaultRequest exceeds default, min exceeds max',
      yaml: limitRange(
        '    - type: Container\n      max: { cpu: 500m, memory: 1Gi }\n      min: { ⟦3⟧memory: 2Gi }\n      default: { ⟦1⟧cpu: "1" }\n      defaultRequest: { ⟦2⟧cpu: 1500m }',
      ),
      findings: [
        { at: '3', object: 'LimitRange shop/limits', path: 'spec.limits[0].min.memory', message: `spec.limits[0].min.memory ${REFUSED} min value 2Gi is greater than max value 1Gi` },
        { at: '1', object: 'LimitRange shop/limits', path: 'spec.limits[0].default.cpu', message: `spec.limits[0].default.cpu ${REFUSED} default value 1 is greater than max value 500m` },
        { at: '2', object: 'LimitRange shop/limits', path: 'spec.limits[0].defaultRequest.cpu', message: `spec.limits[0].defaultRequest.cpu ${REFUSED} default request value 1500m is greater than max value 500m` },
        { at: '2', object: 'LimitRange shop/limits', path: 'spec.limits[0].defaultRequest.cpu', message: `spec.limits[0].defaultRequest.cpu ${REFUSED} default request value 1500m is greater than default limit value 1` },
      ],
    },
    {
      name: 'min above default and defaultRequest, and defaults on a Pod item',
      yaml: limitRange('    - type: Container\n      min: { cpu: 200m }\n      default: { ⟦1⟧cpu: 100m }\n      defaultRequest: { ⟦2⟧cpu: 50m }\n    - type: Pod\n      ⟦3⟧default: { cpu: 100m }'),
      findings: [
        { at: '1', object: 'LimitRange shop/limits', path: 'spec.limits[0].default.cpu', message: `spec.limits[0].default.cpu ${REFUSED} min value 200m is greater than default value 100m` },
        { at: '2', object: 'LimitRange shop/limits', path: 'spec.limits[0].defaultRequest.cpu', message: `spec.limits[0].defaultRequest.cpu ${REFUSED} min value 200m is greater than default request value 50m` },
        { at: '3', object: 'LimitRange shop/limits', path: 'spec.limits[1].default', message: "spec.limits[1].default is refused by the API server: Forbidden: may not be specified when `type` is 'Pod'" },
      ],
    },
    {
      name: "a Pod-type max.cpu below the sum of the containers' limits: the ReplicaSet can never create a pod",
      yaml: limitRange('    - type: Pod\n      max: { ⟦r⟧cpu: "1500m", memory: 1Gi }') + deployment(limits('1', '512Mi', '⟦1⟧'), limits('1', '256Mi')),
      findings: [
        {
          at: '1',
          object: 'Deployment shop/web',
          path: 'spec.template.spec.containers[0].resources.limits.cpu',
          message: 'LimitRanger admission refuses every pod of this Deployment: maximum cpu usage per Pod is 1500m, but limit is 2 (LimitRange shop/limits spec.limits[0].max.cpu), so its ReplicaSet can never create them',
          related: [{ at: 'r', object: 'LimitRange shop/limits', message: 'max.cpu of LimitRange shop/limits' }],
        },
      ],
    },
    {
      name: "a Pod-type max.memory below the containers' limits, and a Container-type max below one container's limit",
      yaml:
        limitRange('    - type: Container\n      max: { cpu: 800m }\n    - type: Pod\n      max: { memory: 512Mi }') +
        deployment(limits('1', '384Mi', '⟦1⟧').replace('memory: 384Mi', '⟦2⟧memory: 384Mi'), limits('500m', '256Mi')),
      findings: [
        {
          at: '1',
          object: 'Deployment shop/web',
          path: 'spec.template.spec.containers[0].resources.limits.cpu',
          message: 'LimitRanger admission refuses every pod of this Deployment: maximum cpu usage per Container is 800m, but limit is 1 (LimitRange shop/limits spec.limits[0].max.cpu), so its ReplicaSet can never create them',
        },
        {
          at: '2',
          object: 'Deployment shop/web',
          path: 'spec.template.spec.containers[0].resources.limits.memory',
          message: 'LimitRanger admission refuses every pod of this Deployment: maximum memory usage per Pod is 512Mi, but limit is 640Mi (LimitRange shop/limits spec.limits[1].max.memory), so its ReplicaSet can never create them',
        },
      ],
    },
    {
      name: 'a Container-type min with a container that requests less, in a bare Pod',
      yaml:
        limitRange('    - type: Container\n      min: { memory: 128Mi }') +
        'apiVersion: v1\nkind: Pod\nmetadata: { name: job, namespace: shop }\nspec:\n  containers:\n    - name: job\n      image: busybox:1.36\n      resources:\n        requests: { ⟦1⟧memory: 64Mi }\n',
      findings: [
        {
          at: '1',
          object: 'Pod shop/job',
          path: 'spec.containers[0].resources.requests.memory',
          message: 'LimitRanger admission refuses every pod of this Pod: minimum memory usage per Container is 128Mi, but request is 64Mi (LimitRange shop/limits spec.limits[0].min.memory), so the Pod is never created',
        },
      ],
    },
  ],
});

describe('canonicalQuantity', () => {
  it('prints quantities as resource.Quantity.String() does', () => {
    const text = (value: string) => {
      const q = parseQuantity(value);
      if (!q.ok) throw new Error(q.error);
      return canonicalQuantity(q.nano, /i$/.test(value));
    };
    expect(['1000m', '1500m', '0.5', '2000', '1500', '1024Mi', '1536Mi', '1Gi', '100', '0'].map(text)).toEqual(['1', '1500m', '500m', '2k', '1500', '1Gi', '1536Mi', '1Gi', '100', '0']);
  });
});
