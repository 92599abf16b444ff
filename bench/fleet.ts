// A synthetic fleet for the benchmarks: N apps (one namespace each, a Deployment that dials the previous app
// through the port registry, its Service, NetworkPolicies, LimitRange) spread over several Flux clusters, written
// as a real repository the checker can run on. Every app passes every rule, so the rules do their full work.
import fs from 'node:fs';
import path from 'node:path';

export interface FleetOptions {
  apps: number;
  clusters: number;
  /** 'per-app': one Flux Kustomization per app (the layout docs recommend); 'one-overlay': one overlay lists every app. */
  layout: 'per-app' | 'one-overlay';
}

const REPO_URL = 'https://github.com/example/fleet.git';

function write(root: string, file: string, text: string): void {
  const absolute = path.join(root, file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, text);
}

function app(i: number, hasUpstream: boolean): Record<string, string> {
  const name = `app-${i}`;
  const ns = name;
  const upstream = hasUpstream ? `app-${i - 1}` : undefined;
  const key = `APP_${i}`;
  const upKey = upstream ? `APP_${i - 1}` : undefined;
  const registry = [`  ${key}_PORT: "8080"`, `  ${key}_ADDRESS: "${name}.${ns}.svc.cluster.local:8080"`];
  if (upKey) registry.push(`  ${upKey}_ADDRESS: "${upstream}.${upstream}.svc.cluster.local:8080"`);
  const env = upKey
    ? `          env:
            - name: UPSTREAM_ADDRESS
              valueFrom:
                configMapKeyRef:
                  name: service-ports
                  key: ${upKey}_ADDRESS
`
    : '';
  const egress = upstream
    ? `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: to-${upstream}
spec:
  podSelector:
    matchLabels: { app: ${name} }
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels: { kubernetes.io/metadata.name: ${upstream} }
          podSelector:
            matchLabels: { app: ${upstream} }
      ports:
        - { protocol: TCP, port: 8080 }
`
    : '';
  const downstream = `app-${i + 1}`;
  return {
    [`apps/${name}/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${ns}
resources:
  - namespace.yaml
  - service-ports.yaml
  - workload.yaml
  - network.yaml
`,
    [`apps/${name}/namespace.yaml`]: `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
`,
    [`apps/${name}/service-ports.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: service-ports
data:
${registry.join('\n')}
`,
    [`apps/${name}/workload.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: app
          image: registry.example.com/${name}:1.0.${i}
          ports:
            - { name: http, containerPort: 8080 }
${env}          readinessProbe:
            httpGet: { path: /ready, port: http }
          livenessProbe:
            httpGet: { path: /live, port: http }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          resources:
            requests: { cpu: 10m, memory: 16Mi }
            limits: { cpu: 50m, memory: 32Mi }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${name} }
  ports:
    - { name: http, port: 8080, targetPort: http }
`,
    [`apps/${name}/network.yaml`]: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels: { kubernetes.io/metadata.name: kube-system }
          podSelector:
            matchLabels: { k8s-app: kube-dns }
      ports:
        - { protocol: UDP, port: 53 }
        - { protocol: TCP, port: 53 }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: from-${downstream}
spec:
  podSelector:
    matchLabels: { app: ${name} }
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels: { kubernetes.io/metadata.name: ${downstream} }
          podSelector:
            matchLabels: { app: ${downstream} }
      ports:
        - { protocol: TCP, port: 8080 }
${egress}`,
  };
}

const fluxKustomization = (name: string, dir: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ./${dir}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

/** Writes the fleet repository into `root`; returns the number of apps per cluster. */
export function writeFleet(root: string, options: FleetOptions): { appsPerCluster: number[] } {
  fs.rmSync(root, { recursive: true, force: true });
  write(root, 'policies/config.yaml', `repository:\n  urls: [${REPO_URL}]\ndefaults:\n  kubernetesVersion: "1.33"\n  podSecurityMinimum: restricted\n`);
  const per = Math.ceil(options.apps / options.clusters);
  for (let i = 0; i < options.apps; i++) for (const [file, text] of Object.entries(app(i, i % per !== 0))) write(root, file, text);
  const appsPerCluster: number[] = [];
  for (let c = 0; c < options.clusters; c++) {
    // each cluster runs a contiguous slice of the chain, so every dependency resolves inside the cluster
    const members = Array.from({ length: Math.min(per, options.apps - c * per) }, (_, k) => c * per + k);
    appsPerCluster.push(members.length);
    const cluster = `clusters/c${c}`;
    let sync = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ${REPO_URL}
  ref: { branch: main }
`;
    if (options.layout === 'per-app') {
      for (const i of members) sync += fluxKustomization(`app-${i}`, `apps/app-${i}`);
    } else {
      sync += fluxKustomization('apps', `overlays/c${c}`);
      write(root, `overlays/c${c}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${members.map((i) => `  - ../../apps/app-${i}`).join('\n')}\n`);
    }
    write(root, `${cluster}/sync.yaml`, sync);
    write(root, `${cluster}/kustomization.yaml`, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - sync.yaml\n');
  }
  return { appsPerCluster };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const [dir, apps = '20', clusters = '2', layout = 'per-app'] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: npx tsx bench/fleet.ts DIR [APPS] [CLUSTERS] [per-app|one-overlay]');
    process.exit(2);
  }
  writeFleet(path.resolve(dir), { apps: Number(apps), clusters: Number(clusters), layout: layout as FleetOptions['layout'] });
  console.log(`wrote ${apps} apps over ${clusters} clusters (${layout}) to ${dir}`);
}
