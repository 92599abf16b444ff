// Cases shared by the references/* rule test files (one test file per rule runs its cases).
import type { InvalidRuleTestCase, RuleTestCase } from '../../tools/lib/core/rule-tester.ts';

type RuleCases = { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] };

// Lines 1-10: Deployment shop/web (pods app=web, tier=front), 2 replicas.
const web = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web, tier: front } }
    spec: { containers: [{ name: web, image: web:1.0 }] }
---
`;
// Lines 11-19: Deployment shop/worker (pods app=worker, tier=back), 1 replica.
const worker = `apiVersion: apps/v1
kind: Deployment
metadata: { name: worker, namespace: shop }
spec:
  selector: { matchLabels: { app: worker } }
  template:
    metadata: { labels: { app: worker, tier: back } }
    spec: { containers: [{ name: worker, image: worker:1.0 }] }
---
`;
const pods = web + worker;

const service = (selector: string) => `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector:
${selector}
  ports: [{ port: 80 }]
`;

export const serviceSelectorCases: RuleCases = {
  valid: [
    { name: 'selector matching the pods', yaml: pods + service('    app: web') },
    { name: 'selector on two labels one template carries', yaml: pods + service('    app: web\n    tier: front') },
    { name: 'a Service without selector (manual EndpointSlices) and an ExternalName Service', yaml: pods + 'apiVersion: v1\nkind: Service\nmetadata: { name: db, namespace: shop }\nspec: { ports: [{ port: 5432 }] }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: ext, namespace: shop }\nspec: { type: ExternalName, externalName: example.com, selector: { app: nothing } }\n' },
  ],
  invalid: [
    {
      name: 'a typo in the label value, pointed at that label, with the closest values',
      yaml: pods + service('    app: wbe'),
      findings: [{ object: 'Service shop/web', path: 'spec.selector.app', line: 25, message: 'Service shop/web selects app=wbe, which matches no pod template in namespace shop: the Service has no endpoints; did you mean one of app=web, app=worker?' }],
    },
    {
      name: 'a label key no pod carries',
      yaml: pods + service('    app.kubernetes.io/name: web'),
      findings: [{ object: 'Service shop/web', path: 'spec.selector["app.kubernetes.io/name"]', line: 25, message: 'Service shop/web selects app.kubernetes.io/name=web, which matches no pod template in namespace shop: the Service has no endpoints; no pod template in namespace shop has a "app.kubernetes.io/name" label' }],
    },
    {
      name: 'labels that exist, but never together',
      yaml: pods + service('    app: web\n    tier: back'),
      findings: [{ object: 'Service shop/web', path: 'spec.selector', line: 24, message: 'Service shop/web selects app=web,tier=back, which matches no pod template in namespace shop: the Service has no endpoints; each label exists in namespace shop, but no single one of its pod templates carries them all' }],
    },
    {
      name: 'pods of the same labels in another namespace do not count',
      yaml: pods + service('    app: web').replace('namespace: shop', 'namespace: other'),
      findings: [{ object: 'Service other/web', path: 'spec.selector', line: 24, message: 'Service other/web selects app=web, which matches no pod template in namespace other: the Service has no endpoints; namespace other has no pod templates' }],
    },
  ],
};

const policy = (selector: string, name = 'allow-web') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: shop }
spec:
  podSelector:
${selector}
  policyTypes: [Ingress]
---
`;

const acmeIssuer = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: { name: letsencrypt }
spec: { acme: { server: https://acme.invalid, privateKeySecretRef: { name: le }, solvers: [{ http01: { ingress: { ingressClassName: nginx } } }] } }
---
`;
const tlsIngress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop, annotations: { cert-manager.io/cluster-issuer: letsencrypt } }
spec:
  tls: [{ hosts: [shop.example.com], secretName: shop-tls }]
  rules: [{ host: shop.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] } }]
---
`;
const solverPolicy = policy('    matchLabels: { acme.cert-manager.io/http01-solver: "true" }', 'allow-acme');

export const networkPolicySelectorCases: RuleCases = {
  valid: [
    { name: 'matchLabels selecting pods', yaml: pods + policy('    matchLabels: { app: web }') },
    { name: 'matchExpressions selecting pods', yaml: pods + policy('    matchExpressions: [{ key: tier, operator: In, values: [back, batch] }]') },
    { name: 'an empty podSelector (every pod, or none yet)', yaml: policy('    {}') },
    { name: "cert-manager's HTTP-01 solver pods for a TLS Ingress whose ClusterIssuer has an http01 solver", yaml: pods + acmeIssuer + tlsIngress + solverPolicy },
  ],
  invalid: [
    {
      name: 'matchLabels with a wrong value',
      yaml: pods + policy('    matchLabels:\n      app: webb'),
      findings: [{ object: 'NetworkPolicy shop/allow-web', path: 'spec.podSelector.matchLabels.app', line: 26, message: 'NetworkPolicy shop/allow-web selects app=webb, which matches no pod template in namespace shop: the policy applies to nothing; did you mean one of app=web, app=worker?' }],
    },
    {
      name: 'matchExpressions that nothing satisfies',
      yaml: pods + policy('    matchExpressions: [{ key: tier, operator: In, values: [batch] }]'),
      findings: [{ object: 'NetworkPolicy shop/allow-web', path: 'spec.podSelector', line: 24, message: 'NetworkPolicy shop/allow-web selects tier in (batch), which matches no pod template in namespace shop: the policy applies to nothing; none of the pod templates in namespace shop satisfies tier in (batch)' }],
    },
    {
      name: 'solver pods are not assumed when the issuer solves with DNS-01',
      yaml: pods + acmeIssuer.replace('http01: { ingress: { ingressClassName: nginx } }', 'dns01: { cloudflare: {} }') + tlsIngress + solverPolicy,
      findings: [{ object: 'NetworkPolicy shop/allow-acme', path: 'spec.podSelector.matchLabels["acme.cert-manager.io/http01-solver"]', line: 37, message: 'NetworkPolicy shop/allow-acme selects acme.cert-manager.io/http01-solver=true, which matches no pod template in namespace shop: the policy applies to nothing; no pod template in namespace shop has a "acme.cert-manager.io/http01-solver" label' }],
    },
  ],
};

const pdb = (body: string, name = 'web') => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${name}, namespace: shop }
spec:
${body}
---
`;

export const pdbSelectorCases: RuleCases = {
  valid: [
    { name: 'selector matching the pods', yaml: pods + pdb('  minAvailable: 1\n  selector: { matchLabels: { app: web } }') },
    { name: 'empty selector selects every pod of the namespace', yaml: pods + pdb('  maxUnavailable: 1\n  selector: {}') },
  ],
  invalid: [
    {
      name: 'a selector on a label the pods do not carry',
      yaml: pods + pdb('  minAvailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: web'),
      findings: [{ object: 'PodDisruptionBudget shop/web', path: 'spec.selector.matchLabels["app.kubernetes.io/name"]', line: 27, message: 'PodDisruptionBudget shop/web selects app.kubernetes.io/name=web, which matches no pod template in namespace shop: it protects nothing; no pod template in namespace shop has a "app.kubernetes.io/name" label' }],
    },
    {
      name: 'no selector at all',
      yaml: pods + pdb('  minAvailable: 1'),
      findings: [{ object: 'PodDisruptionBudget shop/web', path: 'spec', line: 23, message: 'PodDisruptionBudget shop/web has no selector, so it selects no pod (policy/v1: only an empty selector {} selects every pod)' }],
    },
  ],
};

const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: worker, namespace: shop }
spec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: worker }, minReplicas: 1, maxReplicas: 4 }
---
`;

export const pdbAllowsEvictionCases: RuleCases = {
  valid: [
    { name: 'minAvailable below the replicas', yaml: pods + pdb('  minAvailable: 1\n  selector: { matchLabels: { app: web } }') },
    { name: 'maxUnavailable 1 on a single replica', yaml: pods + pdb('  maxUnavailable: 1\n  selector: { matchLabels: { app: worker } }') },
    { name: 'minAvailable 1 on one replica that an HPA scales to 4', yaml: pods + hpa + pdb('  minAvailable: 1\n  selector: { matchLabels: { app: worker } }') },
    { name: 'a DaemonSet (as many pods as nodes) is not counted', yaml: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: agent, namespace: shop }\nspec: { selector: { matchLabels: { app: agent } }, template: { metadata: { labels: { app: agent } }, spec: { containers: [{ name: a, image: a:1 }] } } }\n---\n' + pdb('  minAvailable: 3\n  selector: { matchLabels: { app: agent } }') },
  ],
  invalid: [
    {
      name: 'minAvailable equal to the replicas',
      yaml: pods + pdb('  minAvailable: 2\n  selector: { matchLabels: { app: web } }'),
      findings: [{ object: 'PodDisruptionBudget shop/web', path: 'spec.minAvailable', line: 24, message: 'PodDisruptionBudget shop/web requires minAvailable: 2, but the pods it selects number at most 2 (Deployment shop/web: 2): no eviction is ever allowed' }],
    },
    {
      name: 'minAvailable at the HPA maxReplicas, over two workloads',
      yaml: pods + hpa + pdb('  minAvailable: 6\n  selector: { matchExpressions: [{ key: app, operator: In, values: [web, worker] }] }'),
      findings: [{ object: 'PodDisruptionBudget shop/web', path: 'spec.minAvailable', line: 29, message: 'PodDisruptionBudget shop/web requires minAvailable: 6, but the pods it selects number at most 6 (Deployment shop/web: 2, Deployment shop/worker: 4 (maxReplicas of HorizontalPodAutoscaler shop/worker)): no eviction is ever allowed' }],
    },
    {
      name: 'maxUnavailable 0 and minAvailable 100%',
      yaml: pods + pdb('  maxUnavailable: 0\n  selector: { matchLabels: { app: web } }') + pdb('  minAvailable: "100%"\n  selector: { matchLabels: { app: worker } }', 'worker'),
      findings: [
        { object: 'PodDisruptionBudget shop/web', path: 'spec.maxUnavailable', line: 24, message: 'PodDisruptionBudget shop/web sets maxUnavailable: 0, so no pod it selects can ever be evicted' },
        { object: 'PodDisruptionBudget shop/worker', path: 'spec.minAvailable', line: 31, message: 'PodDisruptionBudget shop/worker sets minAvailable: 100%, so no pod it selects can ever be evicted' },
      ],
    },
  ],
};
