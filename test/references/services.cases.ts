// Cases shared by the references/* rule test files (one test file per rule runs its cases).
import type { InvalidRuleTestCase, RuleTestCase } from '../../tools/lib/core/rule-tester.ts';

type RuleCases = { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] };

// Lines 1-9: Service shop/web (labels app=web; ports 80 "http" and 9090 "metrics"), selecting pods app=web.
const webService = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop, labels: { app: web } }
spec:
  selector: { app: web }
  ports:
    - { name: http, port: 80, targetPort: http }
    - { name: metrics, port: 9090, targetPort: metrics }
---
`;
// Lines 10-18: Deployment shop/web with container ports "http" and "metrics".
const webDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web:1.0, ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9090 }] }] }
---
`;
const base = webService + webDeployment;

// The backend starts at line 19; its service name is on line 27 and its port on line 29.
const ingress = (serviceName: string, port: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec:
  rules:
    - http:
        paths:
          - backend:
              service:
                name: ${serviceName}
                port: { ${port} }
            path: /
            pathType: Prefix
`;

const route = (backendRef: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: shop }
spec:
  parentRefs: [{ name: public }]
  rules:
    - backendRefs:
        - ${backendRef}
`;

export const routeBackendCases: RuleCases = {
  valid: [
    { name: 'Ingress backend by port number', yaml: base + ingress('web', 'number: 80') },
    { name: 'Ingress backend by port name', yaml: base + ingress('web', 'name: metrics') },
    { name: 'HTTPRoute backendRef with port', yaml: base + route('{ name: web, port: 80 }') },
    { name: 'HTTPRoute backendRef to a non-Service kind is not resolved here', yaml: base + route('{ group: example.com, kind: Bucket, name: assets }') },
  ],
  invalid: [
    {
      name: 'Ingress backend Service that does not exist',
      yaml: base + ingress('wbe', 'number: 80'),
      findings: [{ object: 'Ingress shop/web', path: 'spec.rules[0].http.paths[0].backend.service.name', line: 28, message: 'Ingress shop/web routes to Service "wbe", which does not exist in namespace shop; did you mean "web"?' }],
    },
    {
      name: 'Ingress backend port number the Service does not expose',
      yaml: base + ingress('web', 'number: 8080'),
      findings: [{ object: 'Ingress shop/web', path: 'spec.rules[0].http.paths[0].backend.service.port.number', line: 29, message: 'Ingress shop/web routes to Service shop/web port 8080, but the Service has no port 8080 (its ports: 80 (http), 9090 (metrics))' }],
    },
    {
      name: 'Ingress backend port name the Service does not declare',
      yaml: base + ingress('web', 'name: htp'),
      findings: [{ object: 'Ingress shop/web', path: 'spec.rules[0].http.paths[0].backend.service.port.name', line: 29, message: 'Ingress shop/web routes to Service shop/web port htp, but the Service has no port named "htp"; did you mean one of "http", "metrics"?' }],
    },
    {
      name: 'HTTPRoute to a missing Service and to a missing port',
      yaml: base + route('{ name: api, port: 80 }') + '        - { name: web, port: 81 }\n',
      findings: [
        { object: 'HTTPRoute shop/web', path: 'spec.rules[0].backendRefs[0].name', line: 26, message: 'HTTPRoute shop/web routes to Service "api", which does not exist in namespace shop; did you mean "web"?' },
        { object: 'HTTPRoute shop/web', path: 'spec.rules[0].backendRefs[1].port', line: 27, message: 'HTTPRoute shop/web routes to Service shop/web port 81, but the Service has no port 81 (its ports: 80 (http), 9090 (metrics))' },
      ],
    },
    {
      name: 'a Knative Service of the same name is not the core Service an Ingress routes to',
      yaml: 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: { name: api, namespace: shop }\nspec: {}\n---\n' + ingress('api', 'number: 80'),
      findings: [{ object: 'Ingress shop/web', path: 'spec.rules[0].http.paths[0].backend.service.name', line: 15, message: 'Ingress shop/web routes to Service "api", which does not exist in namespace shop; no Service exists in namespace shop' }],
    },
    {
      name: 'HTTPRoute Service backendRef without a port',
      yaml: base + route('{ name: web }'),
      findings: [{ object: 'HTTPRoute shop/web', path: 'spec.rules[0].backendRefs[0].name', line: 26, message: 'HTTPRoute shop/web routes to Service "web" without a port, which Gateway API requires for a Service backend' }],
    },
  ],
};

const headless = `apiVersion: v1
kind: Service
metadata: { name: db-headless, namespace: shop }
spec: { clusterIP: None, selector: { app: db }, ports: [{ name: pg, port: 5432 }] }
---
`;
// The StatefulSet's serviceName is on line 10 after the 5-line headless Service.
const statefulSet = (serviceName: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  serviceName: ${serviceName}
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: postgres:16 }] }
`;

export const statefulsetServiceCases: RuleCases = {
  valid: [
    { name: 'serviceName is a headless Service', yaml: headless + statefulSet('db-headless') },
    { name: 'no serviceName', yaml: headless + statefulSet('""') },
  ],
  invalid: [
    {
      name: 'serviceName that does not exist',
      yaml: headless + statefulSet('db'),
      findings: [{ object: 'StatefulSet shop/db', path: 'spec.serviceName', line: 10, message: 'StatefulSet shop/db names serviceName "db", which does not exist in namespace shop; did you mean "db-headless"?' }],
    },
    {
      name: 'serviceName that is a ClusterIP Service',
      yaml: base + statefulSet('web'),
      findings: [{ object: 'StatefulSet shop/db', path: 'spec.serviceName', line: 23, message: 'StatefulSet shop/db names serviceName "web", which is not headless (clusterIP: allocated): the pods get no per-pod DNS names; no headless Service exists in namespace shop' }],
    },
  ],
};

const serviceMonitor = (selector: string, port: string, namespaceSelector = '') => `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: web, namespace: shop }
spec:
${namespaceSelector}  selector:
    matchLabels: ${selector}
  endpoints:
    - port: ${port}
`;
const podMonitor = (selector: string, port: string) => `apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: { name: web-pods, namespace: shop }
spec:
  selector:
    matchLabels: ${selector}
  podMetricsEndpoints:
    - port: ${port}
`;

export const monitorTargetCases: RuleCases = {
  valid: [
    { name: 'ServiceMonitor selecting the Service by its labels and a Service port name', yaml: base + serviceMonitor('{ app: web }', 'metrics') },
    { name: 'ServiceMonitor looking in every namespace', yaml: base + serviceMonitor('{ app: web }', 'metrics', '  namespaceSelector: { any: true }\n').replace('namespace: shop }\nspec:\n  namespaceSelector', 'namespace: monitoring }\nspec:\n  namespaceSelector') },
    { name: 'PodMonitor scraping a container port name', yaml: base + podMonitor('{ app: web }', 'metrics') },
  ],
  invalid: [
    {
      name: 'ServiceMonitor selecting no Service',
      yaml: base + serviceMonitor('{ app: api }', 'metrics'),
      findings: [{ object: 'ServiceMonitor shop/web', path: 'spec.selector.matchLabels.app', line: 24, message: 'ServiceMonitor shop/web selects app=api, which matches no Service in namespace shop: nothing is scraped; did you mean app=web?' }],
    },
    {
      name: 'ServiceMonitor port name the Service lacks',
      yaml: base + serviceMonitor('{ app: web }', 'metric'),
      findings: [{ object: 'ServiceMonitor shop/web', path: 'spec.endpoints[0].port', line: 26, message: 'ServiceMonitor shop/web scrapes port "metric", which none of the 1 Services it selects declares: that endpoint has no targets; did you mean one of "metrics", "http"?' }],
    },
    {
      name: 'ServiceMonitor in another namespace without namespaceSelector',
      yaml: base + serviceMonitor('{ app: web }', 'metrics').replace('namespace: shop', 'namespace: monitoring'),
      findings: [{ object: 'ServiceMonitor monitoring/web', path: 'spec.selector', line: 23, message: 'ServiceMonitor monitoring/web selects app=web, which matches no Service in namespace monitoring: nothing is scraped; namespace monitoring has no Services' }],
    },
    {
      name: 'PodMonitor port that is a Service port name, not a container port name',
      yaml: base.replace('name: metrics, containerPort', 'name: prom, containerPort') + podMonitor('{ app: web }', 'metrics'),
      findings: [{ object: 'PodMonitor shop/web-pods', path: 'spec.podMetricsEndpoints[0].port', line: 26, message: 'PodMonitor shop/web-pods scrapes port "metrics", which none of the 1 pod templates it selects declares: that endpoint has no targets; did you mean one of "http", "prom"?' }],
    },
  ],
};

const hpa = (kind: string, name: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: shop }
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: ${kind}
    name: ${name}
  minReplicas: 2
  maxReplicas: 5
`;

export const hpaTargetCases: RuleCases = {
  valid: [{ name: 'HPA scaling an existing Deployment', yaml: base + hpa('Deployment', 'web') }],
  invalid: [
    {
      name: 'HPA naming a Deployment that does not exist',
      yaml: base + hpa('Deployment', 'webapp'),
      findings: [{ object: 'HorizontalPodAutoscaler shop/web', path: 'spec.scaleTargetRef.name', line: 26, message: 'HorizontalPodAutoscaler shop/web scales Deployment "webapp", which does not exist in namespace shop; did you mean "web"?' }],
    },
    {
      name: 'HPA naming the right name with the wrong kind',
      yaml: base + hpa('StatefulSet', 'web'),
      findings: [{ object: 'HorizontalPodAutoscaler shop/web', path: 'spec.scaleTargetRef.name', line: 26, message: 'HorizontalPodAutoscaler shop/web scales StatefulSet "web", which does not exist in namespace shop; no StatefulSet exists in namespace shop' }],
    },
  ],
};

export const hpaReplicasCases: RuleCases = {
  valid: [
    { name: 'HPA-scaled Deployment without replicas', yaml: base + hpa('Deployment', 'web') },
    { name: 'a Deployment with replicas and no HPA', yaml: base.replace('spec:\n  selector: { matchLabels', 'spec:\n  replicas: 3\n  selector: { matchLabels') },
  ],
  invalid: [
    {
      name: 'HPA-scaled Deployment that pins replicas',
      yaml: webService + webDeployment.replace('spec:\n  selector:', 'spec:\n  replicas: 3\n  selector:') + hpa('Deployment', 'web'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.replicas', line: 14, message: 'Deployment shop/web sets spec.replicas: 3, but HorizontalPodAutoscaler shop/web scales it (2-5): every reconcile resets the count the HPA chose; remove spec.replicas' }],
    },
  ],
};
