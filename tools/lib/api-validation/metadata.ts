// ObjectMeta as ValidateObjectMetaAccessor checks it: the name per kind, the namespace, label keys and values,
// annotation keys and their total size; and the labels of pod templates and workload selectors.
import { getPath, type ClusterGraph } from '../core/graph.ts';
import type { FieldPath, K8sObject } from '../core/types.ts';
import { apiGroupOf } from '../core/identity.ts';
import { formatPath } from '../core/yaml-source.ts';
import { isDNS1123Label, isQualifiedName, isValidLabelValue } from './validators.ts';
import { nameRuleFor } from './names.ts';
import { fieldValue, isMap } from './values.ts';
import type { ApiProblem } from './problem.ts';

/** TotalAnnotationSizeLimitB: keys and values together. */
export const ANNOTATION_SIZE_LIMIT = 256 * 1024;

function invalid(object: K8sObject, path: FieldPath, messageId: string, value: string, reasons: string[], field = formatPath(path)): ApiProblem[] {
  return reasons.map((reason, i) => ({ object, path, messageId, data: { field, value: fieldValue(value), reason }, key: `${formatPath(path)}#${i}` }));
}

function labelProblems(object: K8sObject, labels: unknown, path: FieldPath): ApiProblem[] {
  if (!isMap(labels)) return [];
  const problems: ApiProblem[] = [];
  for (const [key, value] of Object.entries(labels)) {
    problems.push(...invalid(object, [...path, key], 'labelKey', key, isQualifiedName(key)));
    if (typeof value === 'string') problems.push(...invalid(object, [...path, key], 'labelValue', value, isValidLabelValue(value)));
  }
  return problems;
}

function annotationProblems(object: K8sObject, annotations: unknown, path: FieldPath): ApiProblem[] {
  if (!isMap(annotations)) return [];
  const problems: ApiProblem[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    problems.push(...invalid(object, [...path, key], 'annotationKey', key, isQualifiedName(key.toLowerCase())));
    size += Buffer.byteLength(key, 'utf8') + (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  }
  if (size > ANNOTATION_SIZE_LIMIT) {
    problems.push({ object, path, messageId: 'annotationsTooLong', data: { field: formatPath(path), size, limit: ANNOTATION_SIZE_LIMIT } });
  }
  return problems;
}

const SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

export function metadataProblems(graph: ClusterGraph): ApiProblem[] {
  const problems: ApiProblem[] = [];
  for (const object of graph.all()) {
    const meta = object.metadata ?? {};
    if (typeof meta.name === 'string' && meta.name !== '') {
      problems.push(...invalid(object, ['metadata', 'name'], 'name', meta.name, nameRuleFor(object.kind, apiGroupOf(object)).validate(meta.name)));
    }
    if (typeof meta.namespace === 'string' && meta.namespace !== '' && object.kind !== 'Namespace') {
      problems.push(...invalid(object, ['metadata', 'namespace'], 'name', meta.namespace, isDNS1123Label(meta.namespace)));
    }
    problems.push(...labelProblems(object, meta.labels, ['metadata', 'labels']));
    problems.push(...annotationProblems(object, meta.annotations, ['metadata', 'annotations']));
    const spec = (object as any).spec;
    if (SELECTOR_KINDS.has(object.kind) && isMap(spec?.selector)) problems.push(...labelProblems(object, spec.selector.matchLabels, ['spec', 'selector', 'matchLabels']));
    if (object.kind === 'Service' && apiGroupOf(object) === '') problems.push(...labelProblems(object, spec?.selector, ['spec', 'selector']));
  }
  for (const template of graph.podTemplates) {
    // a Pod's own metadata was checked above
    if (template.metadataPath.length === 1) continue;
    const meta = getPath(template.owner, template.metadataPath) as Record<string, unknown> | undefined;
    problems.push(...labelProblems(template.owner, isMap(meta) ? meta.labels : undefined, [...template.metadataPath, 'labels']));
    problems.push(...annotationProblems(template.owner, isMap(meta) ? meta.annotations : undefined, [...template.metadataPath, 'annotations']));
  }
  return problems;
}
