// Plain data passed between the checker's stages. Nothing here has behaviour.

export type Severity = 'error' | 'warning' | 'info';

/** One path segment inside an object: a map key or a sequence index. */
export type PathSegment = string | number;
export type FieldPath = PathSegment[];

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** A Kubernetes object as rendered (origin annotations already stripped). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Identity of an object inside one cluster. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface SourceLocation {
  /** Repository-relative path with forward slashes. */
  file: string;
  line: number;
  column: number;
}

/** Where a rendered object came from, as kustomize reported it. */
export interface ObjectOrigin {
  /** Repository-relative file the object was written in (undefined for generated objects). */
  file?: string;
  /** Kustomization files (repository-relative) whose patches or `images:` touched the object, outermost last. */
  transformedBy: string[];
  /** For generated objects (configMapGenerator...), the kustomization that generated it. */
  generatedBy?: string;
  /** namePrefix / nameSuffix values applied on the way, so a patch naming the unprefixed object is recognised. */
  namePrefixes?: string[];
  nameSuffixes?: string[];
  /** For objects a Helm chart rendered: the chart's files are not in the repository, so findings point at the reconciler. */
  helm?: HelmOrigin;
}

/** Where a Helm-rendered object came from: the HelmRelease / Application that asked for it and the values lines it wrote. */
export interface HelmOrigin {
  /** e.g. "HelmRelease cert-manager/cert-manager". */
  reconciler: string;
  /** e.g. "cert-manager v1.16.2 from https://charts.jetstack.io". */
  chart: string;
  /** The chart template that produced the object (helm's `# Source:` comment). */
  template?: string;
  /** Where the reconciler names the chart. */
  declaredIn?: SourceLocation;
  /** The values leaves in effect, each with the repository line that wrote it. */
  values: { path: FieldPath; value: unknown; location?: SourceLocation }[];
}

export interface RenderedObject {
  object: K8sObject;
  origin: ObjectOrigin;
  /** The entry point that rendered it. */
  entryPoint: string;
  /** The reconciler that applies it: Flux fails on a namespaced object without a namespace, Argo CD and kubectl default it. */
  engine?: ReconcilerEngine;
}

export type ReconcilerEngine = 'flux' | 'argocd' | 'path';

/** How an Argo CD Application builds one of its sources (render/argo-kustomize.ts reads it the way the repo-server does). */
export interface ArgoSourceBuild {
  /** metadata.name of the Application: ARGOCD_APP_NAME. */
  application: string;
  /** The source as written: kustomize, directory, plugin, helm, targetRevision, repoURL, path. */
  source: Record<string, any>;
  /** spec.destination.namespace: ARGOCD_APP_NAMESPACE, and the namespace of namespaced objects that name none. */
  destinationNamespace?: string;
}

export interface EntryPoint {
  cluster: string;
  engine: ReconcilerEngine;
  /** Name of the reconciler object (Flux Kustomization / Argo Application) or the path itself. */
  name: string;
  /** File where the reconciler object is declared (repository-relative). */
  declaredIn?: SourceLocation;
  /** Repository-relative folder (kustomization root or plain YAML folder) or single YAML file. */
  path: string;
  /** The Flux Kustomization's spec as written (render/flux-kustomization.ts edits the folder's kustomization with it). */
  flux?: Record<string, any>;
  /** The Argo CD source and what its build takes from the Application. */
  argo?: ArgoSourceBuild;
  /** Flux postBuild substitution variables, already merged in Flux's order (set only when spec.postBuild is). */
  substitute?: Record<string, string>;
}

export interface SkippedSource {
  cluster: string;
  name: string;
  kind: string;
  declaredIn?: SourceLocation;
  reason: string;
}

export interface ClusterSettings {
  name: string;
  kubernetesVersion: string;
  capacity?: { cpu?: string; memory?: string; nodes?: number };
  /** Minimum Pod Security level (baseline | restricted | privileged). */
  podSecurityMinimum: 'privileged' | 'baseline' | 'restricted';
  /** What the cluster has beyond its render (config `provides`); undefined: not declared, the prerequisite rules skip the cluster. */
  provides?: ClusterProvides;
}

/** Config `provides`: metrics APIs, StorageClasses, Prometheus servers and Services the cluster's distribution or platform installs. */
export interface ClusterProvides {
  metricsApis?: ('resource' | 'custom' | 'external')[];
  storageClasses?: string[];
  defaultStorageClass?: string;
  prometheus?: DeclaredPrometheus[];
  services?: DeclaredService[];
}

/** A Service the platform runs outside this repository (a KubeRay head), with what NetworkPolicies can match of its pods. */
export interface DeclaredService {
  namespace: string;
  name: string;
  /** Service ports; `name` is also the backing pods' container port name (what a named NetworkPolicy port matches). */
  ports: { port: number; name?: string; protocol?: 'TCP' | 'UDP' | 'SCTP'; targetPort?: number }[];
  /** Labels of the pods behind it, for NetworkPolicy podSelectors; omitted: only selectors that need no label match. */
  podLabels?: Record<string, string>;
  /** Labels of its namespace beyond kubernetes.io/metadata.name, for namespaceSelectors. */
  namespaceLabels?: Record<string, string>;
  /** Who installs it, for messages and docs. */
  providedBy?: string;
}

/** A Prometheus the platform runs, with prometheus-operator's selectors (omitted: nil, as on the Prometheus resource). */
export interface DeclaredPrometheus {
  namespace: string;
  name: string;
  serviceMonitorSelector?: Record<string, unknown>;
  serviceMonitorNamespaceSelector?: Record<string, unknown>;
  podMonitorSelector?: Record<string, unknown>;
  podMonitorNamespaceSelector?: Record<string, unknown>;
}

export interface RenderProblem {
  entryPoint: string;
  /** The built-in rule the finding is reported under (default render/failed). */
  rule?: 'render/outside-repository';
  message: string;
  location?: SourceLocation;
  /** Tells apart two problems of one entry point in one file (two failed patches), for the fingerprint. */
  key?: string;
}

export interface RenderedCluster {
  name: string;
  entryPoints: EntryPoint[];
  objects: RenderedObject[];
  skipped: SkippedSource[];
  problems: RenderProblem[];
  /** Helm releases rendered with the real helm. */
  helmReleases?: { name: string; chart: string; objectCount: number; declaredIn?: SourceLocation }[];
}

export interface Suppression {
  kind: 'config' | 'annotation';
  reason: string;
  expires: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  cluster: string;
  object?: ObjectRef;
  /** Path inside the object of the offending field (may be absent for cluster-wide findings). */
  path?: FieldPath;
  message: string;
  /** The entry of the rule's `messages` table the message came from (absent for engine findings). */
  messageId?: string;
  /** A copy-pasteable hint (often YAML) that fixes the finding. */
  fix?: string;
  location?: SourceLocation;
  /** Other places that matter for the finding (the other end of a reference...). */
  related?: { message: string; location?: SourceLocation; object?: ObjectRef }[];
  /** Stable identity that survives line moves: rule, cluster, object identity, field path. */
  fingerprint: string;
  suppressed?: Suppression;
}

export type FindingStatus = 'new' | 'unchanged' | 'fixed';

/** One allowed flow in a cluster's connectivity matrix. */
export interface ConnectivityEdge {
  /** Source workload as "Kind namespace/name", or an external peer label such as "ipBlock 10.0.0.0/8". */
  from: string;
  to: string;
  port: number | string;
  protocol: string;
}

export interface ClusterReport {
  name: string;
  entryPoints: { engine: ReconcilerEngine; name: string; path: string; declaredIn?: SourceLocation; fromCache?: true }[];
  skipped: SkippedSource[];
  objectCount: number;
  /** Helm releases rendered with the real helm (skipped ones are in `skipped`). */
  helmReleases?: { name: string; chart: string; objectCount: number; declaredIn?: SourceLocation }[];
  connectivity?: ConnectivityEdge[];
  /** Present with --base: the connectivity of the base revision, for diffs. */
  baseConnectivity?: ConnectivityEdge[];
  /** Present with --base: what this change does to the cluster's rendered objects. */
  diff?: ClusterDiff;
}

/** One object the change adds, removes or changes, with the unified diff of its canonical YAML. */
export interface ObjectDiff {
  change: 'added' | 'removed' | 'changed';
  object: ObjectRef;
  /** `--- base: …` / `+++ head: …`, then `@@` hunks; Secret values are redacted. */
  diff: string;
  additions: number;
  deletions: number;
  /** For a Secret: its values were replaced by placeholders; these keys' values changed. */
  redacted?: { changedKeys: string[] };
}

export interface ClusterDiff {
  /** not-compared: the cluster did not render on one side, so a diff would show losses that are not there. */
  status: 'changed' | 'unchanged' | 'not-compared';
  /** With not-compared: the side that did not render. */
  notRendered?: 'head' | 'base' | 'both';
  reason?: string;
  objects: ObjectDiff[];
}

/** The kustomize that rendered a report. */
export interface KustomizeInfo {
  /** How it is run, e.g. "kubectl kustomize" or "/opt/kustomize build". */
  command: string;
  /** The program's absolute path (as PATH resolved it). */
  path: string;
  /** kustomize's version, e.g. "v5.6.0" ("unknown" when it does not say). */
  version: string;
  /** With kubectl kustomize: kubectl's own version. */
  kubectlVersion?: string;
  /** One line for people, e.g. "kubectl kustomize (/usr/bin/kubectl: kubectl v1.33.1, kustomize v5.6.0)". */
  description: string;
}

/** The json report: the one machine format. Every other format is derived from it. Schema: schemas/report.schema.json. */
export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  generatedAt: string;
  /** Commit the report describes, when known (HEAD of the checked tree). */
  commit?: string;
  base?: { ref: string; commit?: string };
  /** sha256 of the config file the check ran with (merge refuses reports of different configs). */
  configHash?: string;
  /** --shard K/N: this report covers shard `index` of `total` (absent on a whole or merged report). */
  shard?: { index: number; total: number };
  /** The kustomize that rendered the clusters. */
  kustomize?: KustomizeInfo;
  clusters: ClusterReport[];
  /** Current findings; with --base each carries status new | unchanged. */
  findings: (Finding & { status?: FindingStatus })[];
  /** With --base: findings of the base that no longer occur. */
  fixed?: Finding[];
  summary: { errors: number; warnings: number; infos: number; suppressed: number; blocking: number; new?: number; fixed?: number };
  rules: { id: string; severity: Severity; description: string }[];
  /** One merged snippet per object and field where several findings' fixes go (tools/lib/report/combined-fixes.ts). */
  fixes?: CombinedFix[];
}

export interface CombinedFix {
  cluster: string;
  object: ObjectRef;
  /** Where the snippet goes, as a dotted field path of the object (`spec.template.spec`). */
  under: string;
  /** The rules whose fixes are merged, in the order of their findings. */
  rules: string[];
  /** The findings it fixes. */
  fingerprints: string[];
  /** The merged YAML, with a first line saying where it goes. */
  snippet: string;
  /** The first finding's location: where the reviewer starts (for a component fix: the kustomization's `components:`). */
  location?: SourceLocation;
  /** A component fix (report/convention-fixes.ts): the repository-relative folder of the component the snippet adds. */
  component?: string;
}
