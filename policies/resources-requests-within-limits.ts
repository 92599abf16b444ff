import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import type { K8sObject } from '../tools/lib/core/types.ts';
import { formatQuantity, parseQuantity } from '../tools/lib/resources/quantity.ts';
import { effectiveResources, limitRangeDefaultsFor, resourceContainers, type ResourceValue } from '../tools/lib/resources/resources.ts';

const NANO = 1_000_000_000n;

function origin(value: ResourceValue): string {
  if (value.source === 'container') return '';
  if (value.source === 'limit') return ' (copied from its limit)';
  return ` (from LimitRange ${value.object.metadata.namespace}/${value.object.metadata.name})`;
}

export default defineRule({
  id: 'resources/requests-within-limits',
  severity: 'error',
  description: 'Resource quantities parse, and requests never exceed limits (after LimitRange defaulting)',
  rationale:
    'The API server rejects a pod whose request exceeds its limit, but only when the controller creates the pod: the Deployment ' +
    'applies cleanly, GitOps reports success, and the ReplicaSet then fails forever with "must be less than or equal to limit". ' +
    'The same happens when a LimitRange default limit lands below a written request. A malformed quantity fails the whole apply; ' +
    '`memory: 500m` is valid but means half a byte.',
  howToFix:
    'Lower the request or raise the limit so that request <= limit; when the limit comes from a LimitRange default, write the limit ' +
    'on the container. Quantities are a number with an optional suffix: 500m or 0.5 (cpu), 128Mi, 1Gi or 1G (memory), 1e3.\n\n' +
    '  resources:\n' +
    '    requests: { cpu: 250m, memory: 256Mi }\n' +
    '    limits: { cpu: "1", memory: 512Mi }',
  messages: {
    badQuantity: '{{resource}} {{bound}} of {{container}}: {{problem}}',
    requestAboveLimit:
      '{{container}} requests {{resource}} {{requested}}{{requestOrigin}} above its limit {{limit}}{{limitOrigin}}: the API server will refuse its pods',
  },
  check({ graph, report }) {
    const reportedInvalid = new Set<string>();
    const reportInvalid = (value: ResourceValue, resource: string, where: string): boolean => {
      const quantity = parseQuantity(value.value);
      const placeKey = `${describeRef(refOf(value.object))}#${value.path.join('.')}`;
      let problem: string | undefined;
      if (!quantity.ok) problem = quantity.error;
      else if (quantity.nano < 0n) problem = `"${quantity.text}" is negative`;
      else if (resource === 'memory' && quantity.nano % NANO !== 0n) problem = `"${quantity.text}" is a fraction of a byte (did you mean ${quantity.text.replace(/m$/, 'Mi')}?)`;
      if (!problem) return false;
      if (!reportedInvalid.has(placeKey)) {
        reportedInvalid.add(placeKey);
        report({ object: value.object, path: value.path, messageId: 'badQuantity', data: { resource, bound: String(value.path[value.path.length - 2]), container: where, problem } });
      }
      return true;
    };

    const defaultsFor = limitRangeDefaultsFor(graph);
    for (const template of graph.podTemplates) {
      if (template.owner.kind === 'PodTemplate') continue;
      const defaults = defaultsFor(template.namespace);
      for (const entry of resourceContainers(template)) {
        const where = `${entry.kind === 'initContainers' ? 'init container' : 'container'} "${entry.container.name}" of ${describeRef(refOf(template.owner))}`;
        const effective = effectiveResources(template.owner, entry, defaults);
        const invalid = new Set<string>();
        for (const [bound, list] of [['requests', effective.requests], ['limits', effective.limits]] as const) {
          for (const [resource, value] of list) {
            if (value.source === 'limit') continue;
            const label = value.source === 'limitrange' ? `LimitRange ${value.object.metadata.namespace}/${value.object.metadata.name}` : where;
            if (reportInvalid(value, resource, label)) invalid.add(`${bound}.${resource}`);
          }
        }
        for (const [resource, request] of effective.requests) {
          const limit = effective.limits.get(resource);
          if (!limit || request.source === 'limit' || invalid.has(`requests.${resource}`) || invalid.has(`limits.${resource}`)) continue;
          const requested = parseQuantity(request.value);
          const limited = parseQuantity(limit.value);
          if (!requested.ok || !limited.ok || requested.nano <= limited.nano) continue;
          // Point at the value written on the container: that is the line to change.
          const target: { object: K8sObject; path: (string | number)[] } = request.source === 'container' ? request : limit.source === 'container' ? limit : request;
          const other = target === request ? limit : request;
          report({
            object: target.object,
            path: target.path,
            key: resource,
            messageId: 'requestAboveLimit',
            data: {
              container: where,
              resource,
              requested: formatQuantity(resource, requested.nano),
              requestOrigin: origin(request),
              limit: formatQuantity(resource, limited.nano),
              limitOrigin: origin(limit),
            },
            fix: `resources:\n  requests:\n    ${resource}: ${limit.value}\n  limits:\n    ${resource}: ${limit.value}`,
            related: other.source === 'limitrange' ? [{ message: `LimitRange default ${other.path.slice(-2).join('.')}: ${String(other.value)}`, object: other.object, path: other.path }] : [],
          });
        }
      }
    }
  },
});
