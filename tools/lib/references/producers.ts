// Objects that exist in a cluster without being written in the repository: made by a controller from
// something that is in the render, or by Kubernetes itself. Each producer says how it is recognised;
// docs/policies/references.md lists the same table for users.
import { parse as parseYaml } from 'yaml';
import type { K8sObject } from '../core/types.ts';
import { apiGroupOf } from '../core/graph.ts';

export interface ProducedObject {
  kind: string;
  /** Undefined for cluster-scoped kinds. */
  namespace?: string;
  name: string;
  /** Data keys the object will hold; undefined when they cannot be known from the render. */
  keys?: string[];
  /** The object in the render that makes it. */
  producer: K8sObject;
  /** Short "made by" text for messages and docs. */
  via: string;
}

export const PRODUCES_ANNOTATION = 'policy-check.dev/produces';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const nsOf = (o: K8sObject) => o.metadata.namespace ?? 'default';
const nameOf = (o: K8sObject) => o.metadata.name ?? '';

/** External Secrets: an ExternalSecret creates `spec.target.name` (default: its own name) unless creationPolicy is Merge or None. */
function externalSecret(o: K8sObject): ProducedObject[] {
  const spec = (o as any).spec ?? {};
  const target = spec.target ?? {};
  if (target.creationPolicy === 'Merge' || target.creationPolicy === 'None') return [];
  const templateData = target.template?.data;
  const hasTemplateFrom = Array.isArray(target.template?.templateFrom) && target.template.templateFrom.length > 0;
  const dataKeys = (Array.isArray(spec.data) ? spec.data : []).map((d: any) => str(d?.secretKey)).filter(Boolean) as string[];
  let keys: string[] | undefined;
  if (hasTemplateFrom || (Array.isArray(spec.dataFrom) && spec.dataFrom.length > 0)) keys = undefined;
  else if (templateData && typeof templateData === 'object') {
    // Without mergePolicy Merge a template replaces the data keys with its own.
    keys = [...Object.keys(templateData), ...(target.template?.mergePolicy === 'Merge' ? dataKeys : [])];
  } else keys = dataKeys;
  return [{ kind: 'Secret', namespace: nsOf(o), name: str(target.name) ?? nameOf(o), keys, producer: o, via: `ExternalSecret ${nsOf(o)}/${nameOf(o)}` }];
}

const CERT_FORMAT_KEYS: Record<string, string[]> = { CombinedPEM: ['tls-combined.pem'], DER: ['key.der'] };

/** cert-manager: a Certificate writes `spec.secretName` with tls.crt, tls.key and ca.crt (plus its additional formats and keystores). */
function certificate(o: K8sObject): ProducedObject[] {
  const spec = (o as any).spec ?? {};
  const secretName = str(spec.secretName);
  if (!secretName) return [];
  const keys = ['tls.crt', 'tls.key', 'ca.crt'];
  for (const format of Array.isArray(spec.additionalOutputFormats) ? spec.additionalOutputFormats : []) keys.push(...(CERT_FORMAT_KEYS[format?.type] ?? []));
  if (spec.keystores?.pkcs12?.create) keys.push('keystore.p12', 'truststore.p12');
  if (spec.keystores?.jks?.create) keys.push('keystore.jks', 'truststore.jks');
  return [{ kind: 'Secret', namespace: nsOf(o), name: secretName, keys, producer: o, via: `Certificate ${nsOf(o)}/${nameOf(o)}` }];
}

/** cert-manager's ingress-shim: an Ingress annotated with an issuer gets a Certificate per `tls[].secretName`. */
function ingressShim(o: K8sObject): ProducedObject[] {
  const annotations = o.metadata.annotations ?? {};
  if (!annotations['cert-manager.io/cluster-issuer'] && !annotations['cert-manager.io/issuer']) return [];
  const tls = (o as any).spec?.tls;
  return (Array.isArray(tls) ? tls : [])
    .map((t: any) => str(t?.secretName))
    .filter((n: string | undefined): n is string => !!n)
    .map((name: string) => ({ kind: 'Secret', namespace: nsOf(o), name, keys: ['tls.crt', 'tls.key', 'ca.crt'], producer: o, via: `cert-manager ingress-shim for Ingress ${nsOf(o)}/${nameOf(o)}` }));
}

interface HelmSource { releaseName: string; chart: string; namespace: string; values: Record<string, any> }

function helmValues(values: unknown): Record<string, any> {
  if (values && typeof values === 'object') return values as Record<string, any>;
  if (typeof values === 'string') {
    try {
      const parsed = parseYaml(values);
      return parsed && typeof parsed === 'object' ? parsed : {};
    } catch {
      return {};
    }
  }
  return {};
}

function helmSourceOf(o: K8sObject): HelmSource | undefined {
  const spec = (o as any).spec ?? {};
  if (o.kind === 'HelmRelease' && apiGroupOf(o) === 'helm.toolkit.fluxcd.io') {
    const chart = str(spec.chart?.spec?.chart) ?? str(spec.chartRef?.name);
    if (!chart) return undefined;
    const namespace = str(spec.targetNamespace) ?? nsOf(o);
    // helm-controller names the release <targetNamespace>-<name> when targetNamespace is set.
    const releaseName = str(spec.releaseName) ?? (str(spec.targetNamespace) ? `${spec.targetNamespace}-${nameOf(o)}` : nameOf(o));
    return { releaseName, chart: chart.split('/').pop()!, namespace, values: helmValues(spec.values) };
  }
  if (o.kind === 'Application' && apiGroupOf(o) === 'argoproj.io') {
    const source = spec.source ?? {};
    const chart = str(source.chart);
    if (!chart) return undefined;
    const helm = source.helm ?? {};
    return {
      releaseName: str(helm.releaseName) ?? nameOf(o),
      chart,
      namespace: str(spec.destination?.namespace) ?? 'default',
      values: { ...helmValues(helm.values), ...helmValues(helm.valuesObject) },
    };
  }
  return undefined;
}

/**
 * A Helm release (Flux HelmRelease, Argo CD Application with a chart) whose output is not rendered here:
 * the ServiceAccount the `helm create` convention makes (serviceAccount.create, default true, named
 * serviceAccount.name or the chart's fullname: fullnameOverride, else the release name when it contains
 * the chart name, else <release>-<chart>).
 */
function helmRelease(o: K8sObject): ProducedObject[] {
  const source = helmSourceOf(o);
  if (!source) return [];
  const { values, releaseName, chart } = source;
  if (values.serviceAccount?.create === false) return [];
  const chartName = str(values.nameOverride) ?? chart;
  const fullname = (str(values.fullnameOverride) ?? (releaseName.includes(chartName) ? releaseName : `${releaseName}-${chartName}`)).slice(0, 63).replace(/-+$/, '');
  const name = str(values.serviceAccount?.name) ?? fullname;
  return [{ kind: 'ServiceAccount', namespace: source.namespace, name, producer: o, via: `Helm release ${releaseName} (chart ${chart}) of ${o.kind} ${nameOf(o)}` }];
}

/** Anything else a controller makes, declared by hand: `policy-check.dev/produces: "Secret/name, ServiceAccount/ns/name"`. */
function producesEntries(o: K8sObject): string[] {
  const text = o.metadata.annotations?.[PRODUCES_ANNOTATION];
  return typeof text === 'string' ? text.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

const isWellFormed = (parts: string[]) => parts.length >= 2 && parts.length <= 3 && parts.every((p) => p !== '');

/** Entries of the produces annotation that are not `Kind/name` or `Kind/namespace/name` (they declare nothing). */
export function malformedProducesEntries(o: K8sObject): string[] {
  return producesEntries(o).filter((entry) => !isWellFormed(entry.split('/')));
}

function declared(o: K8sObject): ProducedObject[] {
  return producesEntries(o).flatMap((entry) => {
    const parts = entry.split('/');
    if (!isWellFormed(parts)) return [];
    const [kind, namespace, name] = parts.length === 3 ? parts : [parts[0], nsOf(o), parts[1]];
    return [{ kind, namespace, name, producer: o, via: `the ${PRODUCES_ANNOTATION} annotation of ${o.kind} ${nameOf(o)}` }];
  });
}

const PRODUCERS: ((o: K8sObject) => ProducedObject[])[] = [declared];
const BY_KIND: Record<string, (o: K8sObject) => ProducedObject[]> = {
  ExternalSecret: (o) => (apiGroupOf(o) === 'external-secrets.io' ? externalSecret(o) : []),
  Certificate: (o) => (apiGroupOf(o) === 'cert-manager.io' ? certificate(o) : []),
  Ingress: ingressShim,
  HelmRelease: helmRelease,
  Application: helmRelease,
};

export function producedBy(object: K8sObject): ProducedObject[] {
  return [...(BY_KIND[object.kind]?.(object) ?? []), ...PRODUCERS.flatMap((p) => p(object))];
}

/** What Kubernetes itself creates: the `default` ServiceAccount and `kube-root-ca.crt` ConfigMap in every namespace, the built-in ClusterRoles, Service default/kubernetes. */
export function isBuiltIn(kind: string, namespace: string | undefined, name: string): boolean {
  switch (kind) {
    case 'ServiceAccount': return name === 'default';
    case 'ConfigMap': return name === 'kube-root-ca.crt';
    case 'ClusterRole': return ['cluster-admin', 'admin', 'edit', 'view'].includes(name) || name.startsWith('system:');
    case 'Service': return namespace === 'default' && name === 'kubernetes';
    default: return false;
  }
}

export const BUILT_IN_KEYS: Record<string, string[]> = { 'ConfigMap/kube-root-ca.crt': ['ca.crt'] };

/** Pods a controller starts at run time, which no pod template in the render describes. */
export interface RuntimePod {
  namespace: string;
  labels: Record<string, string>;
  producer: K8sObject;
  via: string;
}

/** cert-manager v1.16 labels its HTTP-01 solver pods with this (pkg/apis/acme/v1/types.go SolverIdentificationLabelKey). */
export const HTTP01_SOLVER_LABEL = 'acme.cert-manager.io/http01-solver';

function hasHttp01Solver(issuer: K8sObject | undefined): boolean {
  const solvers = (issuer as any)?.spec?.acme?.solvers;
  return Array.isArray(solvers) && solvers.some((s: any) => s && typeof s === 'object' && s.http01);
}

/**
 * cert-manager starts an HTTP-01 solver pod in the namespace of each Ingress (ingress-shim annotation) or Certificate
 * whose issuer is an ACME issuer with an http01 solver; `findIssuer` resolves (Cluster)Issuers in the render.
 */
export function runtimePodsOf(object: K8sObject, findIssuer: (kind: string, namespace: string | undefined, name: string) => K8sObject | undefined): RuntimePod[] {
  const namespace = nsOf(object);
  let issuer: K8sObject | undefined;
  if (object.kind === 'Ingress' && Array.isArray((object as any).spec?.tls) && (object as any).spec.tls.length > 0) {
    const annotations = object.metadata.annotations ?? {};
    const clusterIssuer = str(annotations['cert-manager.io/cluster-issuer']);
    const nsIssuer = str(annotations['cert-manager.io/issuer']);
    issuer = clusterIssuer ? findIssuer('ClusterIssuer', undefined, clusterIssuer) : nsIssuer ? findIssuer('Issuer', namespace, nsIssuer) : undefined;
  } else if (object.kind === 'Certificate' && apiGroupOf(object) === 'cert-manager.io') {
    const ref = (object as any).spec?.issuerRef ?? {};
    if (typeof ref.name === 'string') issuer = ref.kind === 'ClusterIssuer' ? findIssuer('ClusterIssuer', undefined, ref.name) : findIssuer('Issuer', namespace, ref.name);
  }
  if (!hasHttp01Solver(issuer)) return [];
  return [{ namespace, labels: { [HTTP01_SOLVER_LABEL]: 'true' }, producer: object, via: `cert-manager's HTTP-01 solver for ${object.kind} ${namespace}/${nameOf(object)}` }];
}
