// Controller specs as pkg/apis/{apps,batch,autoscaling,policy}/validation check them at v1.33: a rolling update that
// can never progress, a selector that does not select its own template, an HPA whose bounds cross, a PDB with both bounds.
import type { ClusterGraph } from '../core/graph.ts';
import type { FieldPath, K8sObject } from '../core/types.ts';
import { apiGroupOf } from '../core/identity.ts';
import { formatPath } from '../core/yaml-source.ts';
import { isEmptySelector, matchesLabelSelector } from '../core/label-selector.ts';
import { fieldValue, isMap } from './values.ts';
import { isQualifiedName, isValidLabelValue, percentValue } from './validators.ts';
import type { ApiProblem } from './problem.ts';

/** getIntOrPercentValue: "25%" -> 25, 3 -> 3; anything else is another validation's problem. */
function intOrPercent(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return percentValue(value);
}

function rollingUpdateProblems(object: K8sObject): ApiProblem[] {
  const rolling = (object as any).spec?.strategy?.rollingUpdate;
  if (!isMap(rolling) || ((object as any).spec?.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return [];
  const path: FieldPath = ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'];
  const problems: ApiProblem[] = [];
  // unset fields default to 25%, so both must be written as zero
  if (intOrPercent(rolling.maxUnavailable) === 0 && intOrPercent(rolling.maxSurge) === 0) {
    problems.push({ object, path, messageId: 'rollingUpdateStuck', data: { field: formatPath(path), value: fieldValue(rolling.maxUnavailable) } });
  }
  const percent = percentValue(rolling.maxUnavailable);
  if (percent !== undefined && percent > 100) problems.push({ object, path, messageId: 'over100Percent', data: { field: formatPath(path), value: fieldValue(rolling.maxUnavailable) } });
  return problems;
}

const SELECTING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

function selectorProblems(object: K8sObject): ApiProblem[] {
  const spec = (object as any).spec;
  if (!isMap(spec) || !isMap(spec.selector)) return [];
  const template = isMap(spec.template) ? spec.template : {};
  const labels = isMap(template.metadata) && isMap(template.metadata.labels) ? (template.metadata.labels as Record<string, string>) : {};
  const kind = object.kind;
  if (isEmptySelector(spec.selector)) {
    // a Job without manualSelector gets its selector generated; an empty one is someone else's problem there
    if (kind === 'Job') return [];
    return [{ object, path: ['spec', 'selector'], messageId: 'emptySelector', data: { field: 'spec.selector', kind: kind.toLowerCase() } }];
  }
  if (matchesLabelSelector(spec.selector, labels)) return [];
  const path: FieldPath = isMap(template.metadata) && isMap(template.metadata.labels) ? ['spec', 'template', 'metadata', 'labels'] : ['spec', 'selector'];
  return [{ object, path, messageId: 'selectorMismatch', data: { field: 'spec.template.metadata.labels', kind } }];
}

function autoscalerProblems(hpa: K8sObject): ApiProblem[] {
  const spec = (hpa as any).spec;
  if (!isMap(spec)) return [];
  const problems: ApiProblem[] = [];
  const { minReplicas, maxReplicas } = spec;
  if (typeof minReplicas === 'number' && minReplicas < 1) {
    problems.push({ object: hpa, path: ['spec', 'minReplicas'], messageId: 'minReplicasTooLow', data: { field: 'spec.minReplicas', value: minReplicas } });
  }
  if (typeof maxReplicas === 'number' && maxReplicas < 1) {
    problems.push({ object: hpa, path: ['spec', 'maxReplicas'], messageId: 'maxReplicasTooLow', data: { field: 'spec.maxReplicas', value: maxReplicas } });
  }
  if (typeof minReplicas === 'number' && typeof maxReplicas === 'number' && maxReplicas < minReplicas) {
    problems.push({ object: hpa, path: ['spec', 'maxReplicas'], messageId: 'maxBelowMin', data: { field: 'spec.maxReplicas', value: maxReplicas, min: minReplicas } });
  }
  return problems;
}

function disruptionBudgetProblems(pdb: K8sObject): ApiProblem[] {
  const spec = (pdb as any).spec;
  if (!isMap(spec) || spec.minAvailable == null || spec.maxUnavailable == null) return [];
  return [{ object: pdb, path: ['spec', 'maxUnavailable'], messageId: 'pdbBothBounds', data: { minAvailable: fieldValue(spec.minAvailable), maxUnavailable: fieldValue(spec.maxUnavailable) } }];
}

/** ValidateLabelSelectorRequirement, for each matchExpressions entry of a selector at `at`. */
function selectorRequirementProblems(object: K8sObject, selector: unknown, at: FieldPath): ApiProblem[] {
  if (!isMap(selector) || !Array.isArray(selector.matchExpressions)) return [];
  const problems: ApiProblem[] = [];
  selector.matchExpressions.forEach((requirement: unknown, index: number) => {
    if (!isMap(requirement)) return;
    const base: FieldPath = [...at, 'matchExpressions', index];
    const values = Array.isArray(requirement.values) ? requirement.values : [];
    const add = (path: FieldPath, messageId: string, data: Record<string, string>, key: string) => problems.push({ object, path, messageId, data: { field: formatPath(path), ...data }, key });
    const { operator } = requirement;
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) add([...base, 'operator'], 'selectorValuesRequired', { values: formatPath([...base, 'values']) }, `${index}|values`);
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) add([...base, 'values'], 'selectorValuesForbidden', {}, `${index}|values`);
    } else if (typeof operator === 'string') {
      add([...base, 'operator'], 'selectorOperator', { value: fieldValue(operator) }, `${index}|operator`);
    }
    if (typeof requirement.key === 'string') {
      isQualifiedName(requirement.key).forEach((reason, i) => add([...base, 'key'], 'selectorKey', { value: fieldValue(requirement.key), reason }, `${index}|key|${i}`));
    }
    values.forEach((value: unknown, v: number) => {
      if (typeof value !== 'string') return;
      isValidLabelValue(value).forEach((reason, i) => add([...base, 'values', v], 'selectorValue', { value: fieldValue(value), reason }, `${index}|value|${v}|${i}`));
    });
  });
  return problems;
}

export function workloadSpecProblems(graph: ClusterGraph): ApiProblem[] {
  const problems: ApiProblem[] = [];
  for (const object of graph.all()) {
    const group = apiGroupOf(object);
    if (object.kind === 'Deployment' && group === 'apps') problems.push(...rollingUpdateProblems(object));
    if (SELECTING.has(object.kind) && group === (object.kind === 'Job' ? 'batch' : 'apps')) {
      problems.push(...selectorProblems(object));
      problems.push(...selectorRequirementProblems(object, (object as any).spec?.selector, ['spec', 'selector']));
    }
    if (object.kind === 'HorizontalPodAutoscaler' && group === 'autoscaling') problems.push(...autoscalerProblems(object));
    if (object.kind === 'PodDisruptionBudget' && group === 'policy') {
      problems.push(...disruptionBudgetProblems(object));
      problems.push(...selectorRequirementProblems(object, (object as any).spec?.selector, ['spec', 'selector']));
    }
  }
  return problems;
}
