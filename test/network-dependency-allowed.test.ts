import { describe, expect, it } from 'vitest';
import { withMarkers, ruleTester, runRule } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/network-dependency-allowed.ts';
import { appDeployment, appService, configMap, denyAllPolicy, networkPolicy } from './helpers/manifests.ts';
import { dependencyDeclaredCases } from './network/declared-services.cases.ts';

const client = (env: string, namespace = 'shop', annotations = '') =>
  appDeployment({ name: 'web', namespace, image: 'example/web:1.0', metadata: annotations, container: env });

const apiEnv = `          env:
            - name: API_URL
              value: http://api.data.svc.cluster.local:80
`;

// api listens on 8080 named http; its Service maps 80 -> http
const api =
  appDeployment({
    name: 'api',
    namespace: 'data',
    image: 'example/api:1.0',
    container: `          ports:
            - name: http
              containerPort: 8080
`,
  }) +
  appService('data', 'api', `    - port: 80
      targetPort: http
`);

const webEgress = (port = 8080) => networkPolicy('shop', 'web-to-api', `  podSelector:
    matchLabels:
      app: web
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: data
          podSelector:
            matchLabels:
              app: api
      ports:
        - port: ${port}`);

const apiIngress = networkPolicy('data', 'api-from-web', `  podSelector:
    matchLabels:
      app: api
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: shop
          podSelector:
            matchLabels:
              app: web
      ports:
        - port: http`);

const isolated = denyAllPolicy('shop') + denyAllPolicy('data');

ruleTester(rule, {
  valid: [
    {
      name: 'a workload reading its own Service address advertises it, it does not dial itself',
      yaml:
        api.replace('          ports:\n', '          env:\n            - name: SELF_URL\n              value: http://api.data.svc.cluster.local:80\n          ports:\n') +
        denyAllPolicy('data'),
    },
    { name: 'no policies: everything may talk', yaml: client(apiEnv) + api },
    { name: 'both ends allow the pod port behind the Service port', yaml: client(apiEnv) + api + isolated + webEgress() + apiIngress },
    {
      name: 'an address of a Service that does not exist is not an edge (the ports rules report it)',
      yaml: client(apiEnv.replace('api.data', 'nope.data')) + api + isolated,
    },
    {
      name: 'an address on a port the Service does not expose is not an edge',
      yaml: client(apiEnv.replace(':80', ':9999')) + api + isolated,
    },
    ...dependencyDeclaredCases.valid,
  ],
  invalid: [
    {
      name: 'egress missing at the source',
      yaml: withMarkers(client(apiEnv) + api + isolated + apiIngress, '⟦1⟧value: http://api.data.svc.cluster.local:80'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'blocked', data: { source: 'Deployment shop/web', service: 'Service data/api port 80/TCP', address: 'http://api.data.svc.cluster.local:80', via: 'an env value', sides: 'egress', problems: 'egress at the source to Deployment data/api port 8080/TCP is not allowed (isolated by shop/default-deny and no rule admits it)' } },
      ],
    },
    {
      name: 'ingress missing at the destination',
      yaml: withMarkers(client(apiEnv) + api + isolated + webEgress(), '⟦1⟧value: http://api.data.svc.cluster.local:80'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'blocked', data: { source: 'Deployment shop/web', service: 'Service data/api port 80/TCP', address: 'http://api.data.svc.cluster.local:80', via: 'an env value', sides: 'ingress', problems: 'ingress at the destination Deployment data/api port 8080/TCP is not allowed (isolated by data/default-deny and no rule admits it)' } },
      ],
    },
    {
      name: 'egress allowed on the Service port instead of the pod port is still blocked',
      yaml: withMarkers(client(apiEnv) + api + isolated + webEgress(80) + apiIngress, '⟦1⟧value: http://api.data.svc.cluster.local:80'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].env[0].value', messageId: 'blocked', data: { source: 'Deployment shop/web', service: 'Service data/api port 80/TCP', address: 'http://api.data.svc.cluster.local:80', via: 'an env value', sides: 'egress', problems: 'egress at the source to Deployment data/api port 8080/TCP is not allowed (isolated by shop/default-deny, shop/web-to-api and no rule admits it)' } },
      ],
    },
    {
      name: 'both sides missing, address read through configMapKeyRef from the port registry',
      yaml:
        configMap('shop', 'service-ports', `  API_ADDRESS: "http://api.data.svc.cluster.local:80"
`) +
        client(`          env:
            - ⟦1⟧name: API_ADDRESS
              valueFrom:
                configMapKeyRef:
                  name: service-ports
                  key: API_ADDRESS
`) +
        api +
        isolated,
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].env[0]', messageId: 'blocked', data: { source: 'Deployment shop/web', service: 'Service data/api port 80/TCP', address: 'http://api.data.svc.cluster.local:80', via: 'configMapKeyRef', sides: 'egress and ingress', problems: 'egress at the source to Deployment data/api port 8080/TCP is not allowed (isolated by shop/default-deny and no rule admits it); ingress at the destination Deployment data/api port 8080/TCP is not allowed (isolated by data/default-deny and no rule admits it)' } },
      ],
    },
    {
      name: 'an edge declared with the depends-on annotation',
      yaml: client('', 'shop', `  annotations:
    ⟦1⟧policy-check.dev/depends-on: "api.data:80"
`) + api + isolated + webEgress(),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'metadata.annotations["policy-check.dev/depends-on"]', messageId: 'blocked', data: { source: 'Deployment shop/web', service: 'Service data/api port 80/TCP', address: 'api.data:80', via: 'the policy-check.dev/depends-on annotation', sides: 'ingress', problems: 'ingress at the destination Deployment data/api port 8080/TCP is not allowed (isolated by data/default-deny and no rule admits it)' } },
      ],
    },
    ...dependencyDeclaredCases.invalid,
  ],
});

describe('network/dependency-allowed fix', () => {
  it('carries the NetworkPolicy for each missing side', () => {
    const [finding] = runRule(rule, { name: 'fix', yaml: client(apiEnv) + api + isolated });
    expect(finding.fix).toBe(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-to-api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Egress
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: api
          namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: data
      ports:
        - protocol: TCP
          port: 8080
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-from-web
  namespace: data
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: web
          namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: shop
      ports:
        - protocol: TCP
          port: 8080
`);
    expect(finding.related?.[0].message).toBe('destination Service data/api port 80/TCP');
  });
});
