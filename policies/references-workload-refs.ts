import { defineRule } from '../tools/lib/core/rule.ts';
import type { FieldPath } from '../tools/lib/core/types.ts';
import { containersOf, type PodTemplate } from '../tools/lib/core/graph.ts';
import { describeTemplate } from '../tools/lib/ports/port-registry.ts';
import { referenceIndexOf, type ReferenceIndex, type Resolved } from '../tools/lib/references/reference-index.ts';
import { didYouMean } from '../tools/lib/references/did-you-mean.ts';
import { malformedProducesEntries, PRODUCES_ANNOTATION } from '../tools/lib/references/producers.ts';
import { describeObject } from '../tools/lib/core/identity.ts';

interface NamedRef {
  kind: 'ConfigMap' | 'Secret' | 'ServiceAccount' | 'PersistentVolumeClaim';
  name: unknown;
  path: FieldPath;
  /** What references it, for the message: `env DB_USER of container "api"`. */
  by: string;
  optional?: unknown;
  /** Keys read from it, each with the path of its `key` field. */
  keys?: { key: unknown; path: FieldPath }[];
}

function collect(template: PodTemplate): NamedRef[] {
  const spec = template.spec;
  const at = template.specPath;
  const refs: NamedRef[] = [];
  const sa = spec.serviceAccountName ?? spec.serviceAccount;
  if (sa !== undefined) refs.push({ kind: 'ServiceAccount', name: sa, path: [...at, spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount'], by: 'serviceAccountName' });
  (Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : []).forEach((s: any, i: number) =>
    refs.push({ kind: 'Secret', name: s?.name, path: [...at, 'imagePullSecrets', i, 'name'], by: 'imagePullSecrets' }));

  for (const entry of containersOf(template)) {
    const c = entry.container;
    const who = `container "${c.name}"`;
    (Array.isArray(c.env) ? c.env : []).forEach((e: any, i: number) => {
      for (const [field, kind] of [['configMapKeyRef', 'ConfigMap'], ['secretKeyRef', 'Secret']] as const) {
        const ref = e?.valueFrom?.[field];
        if (!ref || typeof ref !== 'object') continue;
        const base = [...entry.path, 'env', i, 'valueFrom', field];
        refs.push({ kind, name: ref.name, path: [...base, 'name'], by: `env ${e.name} of ${who}`, optional: ref.optional, keys: [{ key: ref.key, path: [...base, 'key'] }] });
      }
    });
    (Array.isArray(c.envFrom) ? c.envFrom : []).forEach((e: any, i: number) => {
      for (const [field, kind] of [['configMapRef', 'ConfigMap'], ['secretRef', 'Secret']] as const) {
        const ref = e?.[field];
        if (ref && typeof ref === 'object') refs.push({ kind, name: ref.name, path: [...entry.path, 'envFrom', i, field, 'name'], by: `envFrom of ${who}`, optional: ref.optional });
      }
    });
  }

  const itemKeys = (items: unknown, base: FieldPath) =>
    (Array.isArray(items) ? items : []).map((item: any, k: number) => ({ key: item?.key, path: [...base, 'items', k, 'key'] }));
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: any, i: number) => {
    const base = [...at, 'volumes', i];
    const by = `volume "${v?.name}"`;
    if (v?.configMap) refs.push({ kind: 'ConfigMap', name: v.configMap.name, path: [...base, 'configMap', 'name'], by, optional: v.configMap.optional, keys: itemKeys(v.configMap.items, [...base, 'configMap']) });
    if (v?.secret) refs.push({ kind: 'Secret', name: v.secret.secretName, path: [...base, 'secret', 'secretName'], by, optional: v.secret.optional, keys: itemKeys(v.secret.items, [...base, 'secret']) });
    if (v?.persistentVolumeClaim) refs.push({ kind: 'PersistentVolumeClaim', name: v.persistentVolumeClaim.claimName, path: [...base, 'persistentVolumeClaim', 'claimName'], by });
    (Array.isArray(v?.projected?.sources) ? v.projected.sources : []).forEach((s: any, j: number) => {
      const source = [...base, 'projected', 'sources', j];
      if (s?.configMap) refs.push({ kind: 'ConfigMap', name: s.configMap.name, path: [...source, 'configMap', 'name'], by, optional: s.configMap.optional, keys: itemKeys(s.configMap.items, [...source, 'configMap']) });
      if (s?.secret) refs.push({ kind: 'Secret', name: s.secret.name, path: [...source, 'secret', 'name'], by, optional: s.secret.optional, keys: itemKeys(s.secret.items, [...source, 'secret']) });
    });
  });
  return refs;
}

function origin(resolved: Resolved): string {
  return resolved.produced ? ` (made by ${resolved.produced.via})` : '';
}

function checkTemplate(index: ReferenceIndex, template: PodTemplate, report: (d: { object: any; path: FieldPath; message: string }) => void) {
  const owner = template.owner;
  const where = describeTemplate(template);
  for (const ref of collect(template)) {
    if (typeof ref.name !== 'string' || ref.name === '' || ref.optional === true) continue;
    const resolved = index.resolve(ref.kind, template.namespace, ref.name);
    if (!resolved) {
      report({
        object: owner,
        path: ref.path,
        message: `${ref.by} in ${where} needs ${ref.kind} "${ref.name}", which does not exist in namespace ${template.namespace} and nothing in the render produces: the pod cannot start` +
          didYouMean(ref.name, index.namesOf(ref.kind, template.namespace), `no ${ref.kind} exists in namespace ${template.namespace}`),
      });
      continue;
    }
    if (!resolved.keys) continue;
    for (const { key, path } of ref.keys ?? []) {
      if (typeof key !== 'string' || resolved.keys.has(key)) continue;
      report({
        object: owner,
        path,
        message: `${ref.by} in ${where} reads key "${key}" of ${ref.kind} "${ref.name}"${origin(resolved)}, which has no such key: the pod cannot start` +
          didYouMean(key, resolved.keys, `the ${ref.kind} has no keys`),
      });
    }
  }
}

export default defineRule({
  id: 'references/workload-refs',
  severity: 'error',
  description: 'Every ServiceAccount, ConfigMap, Secret (and key), PersistentVolumeClaim and image pull Secret a pod names exists or is produced in its namespace',
  rationale:
    'A pod that names a missing ServiceAccount is rejected at creation; a missing ConfigMap or Secret (or a missing key of one) ' +
    'in env, envFrom or a volume leaves the pod in CreateContainerConfigError or ContainerCreating forever; a missing PVC keeps it ' +
    'Pending; a missing pull Secret ends in ImagePullBackOff. None of this fails `kubectl apply` or a reconcile, so it surfaces only ' +
    'when the pods do not start. Objects made by a controller from the render (an ExternalSecret\'s target, a cert-manager ' +
    'Certificate\'s secretName, a Helm release\'s ServiceAccount) count as present.',
  howToFix:
    'Fix the name (see the "did you mean"), add the missing object, or mark a reference that may be absent as optional:\n\n' +
    '  env:\n    - name: FEATURE_FLAGS\n      valueFrom:\n        configMapKeyRef:\n          name: feature-flags\n          key: flags\n          optional: true\n\n' +
    'For an object a controller makes that the checker does not recognise, declare it on the object that causes it: ' +
    '`metadata.annotations: {policy-check.dev/produces: "Secret/my-secret"}`.',
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    for (const template of graph.podTemplates) checkTemplate(index, template, report);
    for (const { object } of graph.objects) {
      for (const entry of malformedProducesEntries(object)) {
        report({
          object,
          path: ['metadata', 'annotations', PRODUCES_ANNOTATION],
          message: `the ${PRODUCES_ANNOTATION} annotation of ${describeObject(object)} has the entry "${entry}", which is not Kind/name or Kind/namespace/name: it declares nothing`,
        });
      }
    }
  },
});
