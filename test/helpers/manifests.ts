// YAML text builders shared by the rule tests. Tests assert line numbers in the text these return,
// so a change to any template here moves the expected `line:` of every case built with it.
// Every builder ends its document with `---\n`, so documents concatenate.

/** A block-style NetworkPolicy; `spec` is the body under `spec:`, indented two spaces, without a final newline. */
export const networkPolicy = (namespace: string, name: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
${spec}
---
`;

/** `default-deny`: selects every pod of the namespace and admits nothing in either direction. */
export const denyAllPolicy = (namespace: string) =>
  networkPolicy(namespace, 'default-deny', `  podSelector: {}
  policyTypes: [Ingress, Egress]`);

export interface AppDeployment {
  name: string;
  namespace: string;
  image: string;
  /** Defaults to the Deployment's name. */
  containerName?: string;
  /** Write `spec.selector.matchLabels` (app: name); default true. */
  selector?: boolean;
  /** Lines after `namespace:` inside metadata, e.g. annotations; each ends with a newline. */
  metadata?: string;
  /** Lines after the container's `image:` (env, ports...), indented ten spaces; each ends with a newline. */
  container?: string;
}

/**
 * A block-style Deployment whose pods carry `app: <name>`, with one container.
 * Without metadata extras: name on line 4, template labels on line 12 and image on line 17 (9 and 14 without selector).
 */
export const appDeployment = ({ name, namespace, image, containerName = name, selector = true, metadata = '', container = '' }: AppDeployment) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
${metadata}spec:
${selector ? `  selector:
    matchLabels:
      app: ${name}
` : ''}  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${containerName}
          image: ${image}
${container}---
`;

/** Deployment shop/web, block style; `podSpec` is the lines under `template.spec` (from line 9), indented six spaces, each ending with a newline. No separator. */
export const webDeployment = (podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
${podSpec}`;

/** A Deployment with neither namespace nor labels (the shape of a kustomize base or patch) and one container; its image is on line 10. No separator. */
export const bareDeployment = (name: string, containerName: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - name: ${containerName}
          image: ${image}
`;

/** A block-style Service selecting `app: <name>`; `ports` is the list under `ports:`, indented four spaces, each line ending with a newline. */
export const appService = (namespace: string, name: string, ports: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    app: ${name}
  ports:
${ports}---
`;

/** A block-style ConfigMap; `data` is the entries under `data:`, indented two spaces, each ending with a newline. */
export const configMap = (namespace: string, name: string, data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${namespace}
data:
${data}---
`;

/** A Namespace without labels (4 lines and the separator). */
export const namespace = (name: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
---
`;

/** A Namespace whose Pod Security admission enforces `level` (pinned to `version` when given). */
export const podSecurityNamespace = (name: string, level: string, version?: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels:
    pod-security.kubernetes.io/enforce: ${level}
${version ? `    pod-security.kubernetes.io/enforce-version: ${version}\n` : ''}---
`;

/** Service fleet/orchestrator: gRPC on 50055 to the pods' port named grpc, in the ports rules' compact style (9 lines). */
export const orchestratorGrpcService = `apiVersion: v1
kind: Service
metadata:
  name: orchestrator
  namespace: fleet
spec:
  selector: { app: orchestrator }
  ports: [{ name: grpc, port: 50055, targetPort: grpc }]
---
`;

/**
 * A Deployment in the ports rules' compact style whose pods carry `app: <name>`, with one container named like it;
 * `container` is the lines after its `- name:` (line 9), indented ten spaces, each ending with a newline.
 */
export const compactDeployment = (namespace: string, name: string, container: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name}
${container}`;

/**
 * A workload shop/<name> in the compact style, without pod labels, with one container named like it;
 * `container` is the lines after its `- name:` (line 8), indented ten spaces, each ending with a newline. No separator.
 */
export const shopWorkload = (name: string, container: string, kind = 'Deployment', apiVersion = 'apps/v1') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata: { name: ${name}, namespace: shop }
spec:
  template:
    spec:
      containers:
        - name: ${name}
${container}`;

/**
 * Deployment shop/web with one container and `resources` (lines indented ten spaces) after its image,
 * in the resources rules' compact style: the container's `- name:` is line 8, resources start at line 10.
 */
export const webWithResources = (resources: string, kind = 'Deployment', apiVersion = 'apps/v1') =>
  shopWorkload('web', `          image: web:1.0\n${resources}`, kind, apiVersion);

/** LimitRange shop/defaults with one `type: Container` item; `item` is its further fields, indented six spaces. */
export const containerLimitRange = (item: string) => `apiVersion: v1
kind: LimitRange
metadata: { name: defaults, namespace: shop }
spec:
  limits:
    - type: Container
${item}---
`;
