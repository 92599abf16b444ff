// LimitRange as the API server validates it (ValidateLimitRange, Kubernetes v1.33), and the pods of each workload as
// the LimitRanger admission plugin judges them after filling in its defaults: a pod it refuses is a workload whose
// controller (the ReplicaSet, the StatefulSet, the Job ...) can never create a single pod.
import type { ClusterGraph, PodTemplate } from '../core/graph.ts';
import type { FieldPath, K8sObject } from '../core/types.ts';
import { describeRef, refOf } from '../core/identity.ts';
import { formatPath } from '../core/yaml-source.ts';
import { parseQuantity } from '../resources/quantity.ts';
import { effectiveResources, limitRangeDefaultsFor, resourceContainers, type LimitRangeDefaults, type ResourceList } from '../resources/resources.ts';
import { canonicalQuantity, isBinaryText } from './quantity-text.ts';
import { isMap } from './values.ts';
import type { ApiProblem } from './problem.ts';

interface Amount {
  nano: bigint;
  text: string;
}

function amountOf(value: unknown): Amount | undefined {
  const quantity = parseQuantity(value);
  return quantity.ok ? { nano: quantity.nano, text: canonicalQuantity(quantity.nano, isBinaryText(value)) } : undefined;
}

function amounts(value: unknown): Map<string, Amount> {
  const out = new Map<string, Amount>();
  if (!isMap(value)) return out;
  for (const [name, raw] of Object.entries(value)) {
    const amount = amountOf(raw);
    if (amount) out.set(name, amount);
  }
  return out;
}

/** The comparisons of ValidateLimitRange, in its order, each as [field that carries the error, condition, message]. */
function itemProblems(range: K8sObject, item: Record<string, unknown>, index: number): ApiProblem[] {
  const at = (...rest: (string | number)[]): FieldPath => ['spec', 'limits', index, ...rest];
  const problems: ApiProblem[] = [];
  const push = (path: FieldPath, reason: string, key: string) => problems.push({ object: range, path, messageId: 'limitRangeItem', data: { field: formatPath(path), reason }, key });
  if (item.type === 'Pod') {
    if (isMap(item.default) && Object.keys(item.default).length > 0) problems.push({ object: range, path: at('default'), messageId: 'podTypeDefault', data: { field: formatPath(at('default')) } });
    if (isMap(item.defaultRequest) && Object.keys(item.defaultRequest).length > 0) problems.push({ object: range, path: at('defaultRequest'), messageId: 'podTypeDefault', data: { field: formatPath(at('defaultRequest')) } });
  }
  const min = amounts(item.min);
  const max = amounts(item.max);
  const pod = item.type === 'Pod';
  const defaults = pod ? new Map<string, Amount>() : amounts(item.default);
  const defaultRequests = pod ? new Map<string, Amount>() : amounts(item.defaultRequest);
  const names = [...new Set([...max.keys(), ...min.keys(), ...defaults.keys(), ...defaultRequests.keys()])].sort();
  for (const name of names) {
    const [lo, hi, def, req] = [min.get(name), max.get(name), defaults.get(name), defaultRequests.get(name)];
    if (lo && hi && lo.nano > hi.nano) push(at('min', name), `min value ${lo.text} is greater than max value ${hi.text}`, `${name}|min>max`);
    if (req && lo && lo.nano > req.nano) push(at('defaultRequest', name), `min value ${lo.text} is greater than default request value ${req.text}`, `${name}|min>defaultRequest`);
    if (req && hi && req.nano > hi.nano) push(at('defaultRequest', name), `default request value ${req.text} is greater than max value ${hi.text}`, `${name}|defaultRequest>max`);
    if (req && def && req.nano > def.nano) push(at('defaultRequest', name), `default request value ${req.text} is greater than default limit value ${def.text}`, `${name}|defaultRequest>default`);
    if (def && lo && lo.nano > def.nano) push(at('default', name), `min value ${lo.text} is greater than default value ${def.text}`, `${name}|min>default`);
    if (def && hi && def.nano > hi.nano) push(at('default', name), `default value ${def.text} is greater than max value ${hi.text}`, `${name}|default>max`);
  }
  return problems;
}

export function limitRangeProblems(graph: ClusterGraph): ApiProblem[] {
  const problems: ApiProblem[] = [];
  for (const range of graph.byKind('LimitRange')) {
    const limits = (range as any).spec?.limits;
    if (!Array.isArray(limits)) continue;
    limits.forEach((item: unknown, index: number) => {
      if (isMap(item)) problems.push(...itemProblems(range, item, index));
    });
  }
  return problems;
}

/** Who would create the refused pods, for the message. */
const CREATOR: Record<string, string> = {
  Deployment: 'its ReplicaSet',
  ReplicaSet: 'the ReplicaSet',
  StatefulSet: 'the StatefulSet controller',
  DaemonSet: 'the DaemonSet controller',
  Job: 'the Job controller',
  CronJob: 'the Jobs it starts',
  ReplicationController: 'the ReplicationController',
};

interface Observed {
  requests: Map<string, { nano: bigint; binary: boolean }>;
  limits: Map<string, { nano: bigint; binary: boolean }>;
}

function observed(list: ResourceList): Map<string, { nano: bigint; binary: boolean }> {
  const out = new Map<string, { nano: bigint; binary: boolean }>();
  for (const [name, value] of list) {
    const quantity = parseQuantity(value.value);
    if (quantity.ok) out.set(name, { nano: quantity.nano, binary: isBinaryText(value.value) });
  }
  return out;
}

/** podRequests / podLimits of the LimitRanger plugin: containers plus restartable init containers, or the largest init container if more. */
function podTotals(template: PodTemplate, defaults: LimitRangeDefaults): Observed {
  const totals: Observed = { requests: new Map(), limits: new Map() };
  for (const bound of ['requests', 'limits'] as const) {
    const regular = new Map<string, { nano: bigint; binary: boolean }>();
    const sidecars = new Map<string, { nano: bigint; binary: boolean }>();
    const initPeak = new Map<string, { nano: bigint; binary: boolean }>();
    const add = (into: Map<string, { nano: bigint; binary: boolean }>, name: string, v: { nano: bigint; binary: boolean }) => {
      const current = into.get(name);
      into.set(name, current ? { nano: current.nano + v.nano, binary: current.binary } : { ...v });
    };
    for (const entry of resourceContainers(template)) {
      const values = observed(effectiveResources(template.owner, entry, defaults)[bound]);
      if (entry.kind === 'containers') for (const [n, v] of values) add(regular, n, v);
      else if (entry.container.restartPolicy === 'Always') {
        for (const [n, v] of values) {
          add(regular, n, v);
          add(sidecars, n, v);
        }
      } else {
        const withSidecars = new Map(sidecars);
        for (const [n, v] of values) add(withSidecars, n, v);
        for (const [n, v] of withSidecars) if (!initPeak.has(n) || initPeak.get(n)!.nano < v.nano) initPeak.set(n, v);
      }
    }
    for (const [n, v] of initPeak) if (!regular.has(n) || regular.get(n)!.nano < v.nano) regular.set(n, v);
    totals[bound] = regular;
  }
  return totals;
}

/** minConstraint and maxConstraint of the plugin, with its messages; undefined when the value passes. */
function constraintMessage(kind: 'min' | 'max', type: string, resource: string, enforced: Amount, seen: Observed): { reason: string; bound?: 'requests' | 'limits' } | undefined {
  const req = seen.requests.get(resource);
  const lim = seen.limits.get(resource);
  const text = (v: { nano: bigint; binary: boolean }) => canonicalQuantity(v.nano, v.binary);
  if (kind === 'min') {
    if (!req) return { reason: `minimum ${resource} usage per ${type} is ${enforced.text}.  No request is specified` };
    if (req.nano < enforced.nano) return { reason: `minimum ${resource} usage per ${type} is ${enforced.text}, but request is ${text(req)}`, bound: 'requests' };
    if (lim && lim.nano < enforced.nano) return { reason: `minimum ${resource} usage per ${type} is ${enforced.text}, but limit is ${text(lim)}`, bound: 'limits' };
    return undefined;
  }
  if (!lim) return { reason: `maximum ${resource} usage per ${type} is ${enforced.text}.  No limit is specified` };
  if (lim.nano > enforced.nano) return { reason: `maximum ${resource} usage per ${type} is ${enforced.text}, but limit is ${text(lim)}`, bound: 'limits' };
  if (req && req.nano > enforced.nano) return { reason: `maximum ${resource} usage per ${type} is ${enforced.text}, but request is ${text(req)}`, bound: 'requests' };
  return undefined;
}

export function limitRangerProblems(graph: ClusterGraph): ApiProblem[] {
  const problems: ApiProblem[] = [];
  const defaultsOf = limitRangeDefaultsFor(graph);
  for (const template of graph.podTemplates) {
    const ranges = graph.byKind('LimitRange', template.namespace);
    if (ranges.length === 0) continue;
    const defaults = defaultsOf(template.namespace);
    const containers = resourceContainers(template);
    const pod = podTotals(template, defaults);
    const creator = template.owner.kind === 'Pod' ? 'the Pod is never created' : `${CREATOR[template.owner.kind] ?? 'its controller'} can never create them`;
    for (const range of ranges) {
      const limits = (range as any).spec?.limits;
      if (!Array.isArray(limits)) continue;
      limits.forEach((item: unknown, index: number) => {
        if (!isMap(item) || (item.type !== 'Container' && item.type !== 'Pod')) return;
        for (const kind of ['min', 'max'] as const) {
          for (const [resource, enforced] of amounts(item[kind])) {
            const related = [{ message: `${kind}.${resource} of ${describeRef(refOf(range))}`, object: range, path: ['spec', 'limits', index, kind, resource] as FieldPath }];
            const report = (path: FieldPath, reason: string, key: string) =>
              problems.push({ object: template.owner, path, messageId: 'limitRanger', data: { kind: template.owner.kind, reason, limitRange: describeRef(refOf(range)), item: `spec.limits[${index}].${kind}.${resource}`, creator }, key, related });
            if (item.type === 'Container') {
              for (const entry of containers) {
                const effective = effectiveResources(template.owner, entry, defaults);
                const verdict = constraintMessage(kind, 'Container', resource, enforced, { requests: observed(effective.requests), limits: observed(effective.limits) });
                if (!verdict) continue;
                const written = verdict.bound && effective[verdict.bound].get(resource);
                const path = written && written.object === template.owner ? written.path : [...entry.path, 'resources'];
                report(path, verdict.reason, `${index}|${kind}|${resource}|${formatPath(entry.path)}`);
              }
            } else {
              const verdict = constraintMessage(kind, 'Pod', resource, enforced, pod);
              if (!verdict) continue;
              // on the container that contributes most of the total, where its value is written
              let path: FieldPath = template.specPath;
              let largest = -1n;
              for (const entry of containers) {
                const value = verdict.bound && effectiveResources(template.owner, entry, defaults)[verdict.bound].get(resource);
                const amount = value ? parseQuantity(value.value) : undefined;
                if (value && value.object === template.owner && amount?.ok && amount.nano > largest) {
                  largest = amount.nano;
                  path = value.path;
                }
              }
              report(path, verdict.reason, `${index}|${kind}|${resource}|pod`);
            }
          }
        }
      });
    }
  }
  return problems;
}
