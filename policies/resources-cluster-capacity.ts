import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import type { ClusterGraph, PodTemplate } from '../tools/lib/core/graph.ts';
import type { FieldPath, K8sObject } from '../tools/lib/core/types.ts';
import { formatCpu, formatMemory, formatQuantity, parseQuantity } from '../tools/lib/resources/quantity.ts';
import { limitRangeDefaultsFor, podAmount, type Bound } from '../tools/lib/resources/resources.ts';

interface Scale {
  replicas: number;
  /** How the replica count was found, for the budget table. */
  basis: string;
  /** Where to change the count. */
  object: K8sObject;
  path: FieldPath;
}

interface BudgetLine {
  template: PodTemplate;
  scale: Scale;
  perPod: Record<string, bigint>;
}

const RESOURCES = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'] as const;
type Tracked = (typeof RESOURCES)[number];

/** Maximum number of pods a workload can run: an HPA's (or KEDA ScaledObject's) ceiling, else its replicas; DaemonSets once per node. */
function scaleOf(graph: ClusterGraph, template: PodTemplate, nodes: number): Scale {
  const owner = template.owner;
  const namespace = template.namespace;
  for (const hpa of graph.byKind('HorizontalPodAutoscaler', namespace)) {
    const ref = (hpa as any).spec?.scaleTargetRef;
    const max = (hpa as any).spec?.maxReplicas;
    if (ref?.kind === owner.kind && ref?.name === owner.metadata.name && typeof max === 'number') {
      return { replicas: max, basis: `HPA ${hpa.metadata.name} max`, object: hpa, path: ['spec', 'maxReplicas'] };
    }
  }
  for (const scaled of graph.byKind('ScaledObject', namespace)) {
    const ref = (scaled as any).spec?.scaleTargetRef;
    if (ref?.name === owner.metadata.name && (ref?.kind ?? 'Deployment') === owner.kind) {
      const max = (scaled as any).spec?.maxReplicaCount;
      return { replicas: typeof max === 'number' ? max : 100, basis: `ScaledObject ${scaled.metadata.name} max`, object: scaled, path: ['spec', 'maxReplicaCount'] };
    }
  }
  if (owner.kind === 'DaemonSet') return { replicas: nodes, basis: `1 per node × ${nodes}`, object: owner, path: template.specPath };
  if (owner.kind === 'PodTemplate') return { replicas: 0, basis: 'template only', object: owner, path: [] };
  const path: FieldPath = owner.kind === 'Job' ? ['spec', 'parallelism'] : owner.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'parallelism'] : owner.kind === 'Pod' ? [] : ['spec', 'replicas'];
  return { replicas: template.replicas ?? 1, basis: owner.kind === 'Pod' ? 'pod' : path[path.length - 1] === 'parallelism' ? 'parallelism' : 'replicas', object: owner, path };
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The budget table: workload, replicas, cpu, memory at maximum scale, biggest first in the resource that overflowed. */
function budgetTable(lines: BudgetLine[], cpu: Tracked, memory: Tracked, sortBy: Tracked, limit: { cpu?: bigint; memory?: bigint; label: string }): string {
  const total = (line: BudgetLine, r: Tracked) => line.perPod[r] * BigInt(line.scale.replicas);
  const sorted = [...lines].sort((a, b) => (total(b, sortBy) > total(a, sortBy) ? 1 : total(b, sortBy) < total(a, sortBy) ? -1 : 0));
  const shown = sorted.slice(0, 20);
  const rows = shown.map((l) => [describeRef(refOf(l.template.owner)), `${l.scale.replicas} (${l.scale.basis})`, formatCpu(total(l, cpu)), formatMemory(total(l, memory))]);
  if (sorted.length > shown.length) rows.push([`… ${sorted.length - shown.length} more`, '', '', '']);
  const sum = (r: Tracked) => lines.reduce((s, l) => s + total(l, r), 0n);
  rows.push(['total', '', formatCpu(sum(cpu)), formatMemory(sum(memory))]);
  rows.push([limit.label, '', limit.cpu === undefined ? '-' : formatCpu(limit.cpu), limit.memory === undefined ? '-' : formatMemory(limit.memory)]);
  const header = ['workload', 'replicas', cpu.replace('requests.', '').replace('.', ' '), memory.replace('requests.', '').replace('.', ' ')];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const render = (r: string[]) => r.map((c, i) => pad(c, widths[i], i >= 2)).join('  ').trimEnd();
  return [render(header), ...rows.map(render)].join('\n');
}

function quantityOrThrow(value: unknown, what: string): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  const quantity = parseQuantity(value);
  if (!quantity.ok) throw new Error(`${what}: ${quantity.error}`);
  return quantity.nano;
}

export default defineRule({
  id: 'resources/cluster-capacity',
  severity: 'error',
  description: "The sum of requests at maximum scale fits the cluster's declared capacity and every namespace's ResourceQuota",
  rationale:
    'Each workload can look reasonable alone while together they cannot be scheduled: the k3s board has 4 CPUs and 8 GiB, and ' +
    'an HPA that scales to its maximum under load makes pods pend exactly when they are needed. Summing requests at maximum scale ' +
    '(HPA maxReplicas, DaemonSets once per node, init and sidecar containers as the scheduler counts them) against the capacity ' +
    'declared for the cluster, and against each ResourceQuota, catches that at review time, and the budget table shows where the room went.',
  howToFix:
    'Lower requests or maxReplicas of the biggest lines in the budget table, leave the workload out of this cluster\'s overlay, or ' +
    'declare the real capacity in policies/config.yaml:\n\n' +
    '  clusters:\n' +
    '    k3s:\n' +
    '      capacity: { cpu: "4", memory: 8Gi, nodes: 1 }\n\n' +
    'For a ResourceQuota, raise `spec.hard` or lower the namespace\'s requests. Quotas with scopes or scopeSelector are not checked.',
  messages: {
    overCapacity: 'cluster {{cluster}} needs {{amounts}} requested at maximum scale; the largest share is {{largest}}\n{{budget}}',
    quotaPods: '{{quota}} allows {{allowed}} pods, but namespace {{namespace}} runs {{pods}} at maximum scale',
    quotaUnreadable: '{{quota}} {{key}}: {{problem}}',
    overQuota: '{{quota}} allows {{key}} {{allowed}}, but namespace {{namespace}} needs {{used}} at maximum scale\n{{budget}}',
  },
  check({ graph, cluster, report }) {
    const capacity = cluster.capacity ?? {};
    const nodes = typeof capacity.nodes === 'number' && capacity.nodes > 0 ? capacity.nodes : 1;
    const cpuCapacity = quantityOrThrow(capacity.cpu, `capacity.cpu of cluster ${cluster.name}`);
    const memoryCapacity = quantityOrThrow(capacity.memory, `capacity.memory of cluster ${cluster.name}`);

    const defaultsFor = limitRangeDefaultsFor(graph);
    const lines: BudgetLine[] = [];
    for (const template of graph.podTemplates) {
      const scale = scaleOf(graph, template, nodes);
      if (scale.replicas <= 0) continue;
      const defaults = defaultsFor(template.namespace);
      const perPod = {} as Record<Tracked, bigint>;
      for (const tracked of RESOURCES) {
        const [bound, resource] = tracked.split('.') as [Bound, string];
        perPod[tracked] = podAmount(template, defaults, bound, resource);
      }
      lines.push({ template, scale, perPod });
    }
    const total = (list: BudgetLine[], r: Tracked) => list.reduce((s, l) => s + l.perPod[r] * BigInt(l.scale.replicas), 0n);

    const over: string[] = [];
    if (cpuCapacity !== undefined && total(lines, 'requests.cpu') > cpuCapacity) over.push('requests.cpu');
    if (memoryCapacity !== undefined && total(lines, 'requests.memory') > memoryCapacity) over.push('requests.memory');
    if (over.length > 0) {
      const first = over[0] as Tracked;
      const biggest = [...lines].sort((a, b) => {
        const x = a.perPod[first] * BigInt(a.scale.replicas);
        const y = b.perPod[first] * BigInt(b.scale.replicas);
        return x < y ? 1 : x > y ? -1 : 0;
      })[0];
      const amounts = over.map((r) =>
        r === 'requests.cpu'
          ? `cpu ${formatCpu(total(lines, 'requests.cpu'))} of ${formatCpu(cpuCapacity!)}`
          : `memory ${formatMemory(total(lines, 'requests.memory'))} of ${formatMemory(memoryCapacity!)}`,
      );
      report({
        object: biggest.scale.object,
        path: biggest.scale.path,
        identity: `capacity:${over.join(',')}`,
        messageId: 'overCapacity',
        data: {
          cluster: cluster.name,
          amounts: amounts.join(' and '),
          largest: describeRef(refOf(biggest.template.owner)),
          budget: budgetTable(lines, 'requests.cpu', 'requests.memory', first, { cpu: cpuCapacity, memory: memoryCapacity, label: `capacity (${nodes} node${nodes === 1 ? '' : 's'})` }),
        },
      });
    }

    for (const quota of graph.byKind('ResourceQuota')) {
      const spec = (quota as any).spec ?? {};
      if (spec.scopes || spec.scopeSelector) continue;
      const namespace = quota.metadata.namespace ?? 'default';
      const inNamespace = lines.filter((l) => l.template.namespace === namespace);
      const hard = (spec.hard ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(hard)) {
        const tracked = (key === 'cpu' ? 'requests.cpu' : key === 'memory' ? 'requests.memory' : key) as Tracked | 'pods';
        const path = ['spec', 'hard', key];
        const where = `ResourceQuota ${namespace}/${quota.metadata.name}`;
        if (tracked === 'pods') {
          const pods = inNamespace.reduce((s, l) => s + l.scale.replicas, 0);
          const allowed = parseQuantity(value);
          if (allowed.ok && BigInt(pods) * 1_000_000_000n > allowed.nano) {
            report({ object: quota, path, messageId: 'quotaPods', data: { quota: where, allowed: formatQuantity('pods', allowed.nano), namespace, pods } });
          }
          continue;
        }
        if (!(RESOURCES as readonly string[]).includes(tracked)) continue;
        const allowed = parseQuantity(value);
        if (!allowed.ok) {
          report({ object: quota, path, messageId: 'quotaUnreadable', data: { quota: where, key, problem: allowed.error } });
          continue;
        }
        const used = total(inNamespace, tracked as Tracked);
        if (used <= allowed.nano) continue;
        const resource = tracked.split('.')[1];
        const cpuColumn: Tracked = tracked.startsWith('limits') ? 'limits.cpu' : 'requests.cpu';
        const memoryColumn: Tracked = tracked.startsWith('limits') ? 'limits.memory' : 'requests.memory';
        report({
          object: quota,
          path,
          messageId: 'overQuota',
          data: {
            quota: where,
            key,
            allowed: formatQuantity(resource, allowed.nano),
            namespace,
            used: formatQuantity(resource, used),
            budget: budgetTable(inNamespace, cpuColumn, memoryColumn, tracked as Tracked, {
              cpu: hard[cpuColumn] !== undefined || (cpuColumn === 'requests.cpu' && hard.cpu !== undefined) ? quantityOrUndefined(hard[cpuColumn] ?? hard.cpu) : undefined,
              memory: hard[memoryColumn] !== undefined || (memoryColumn === 'requests.memory' && hard.memory !== undefined) ? quantityOrUndefined(hard[memoryColumn] ?? hard.memory) : undefined,
              label: 'quota',
            }),
          },
        });
      }
    }
  },
});

function quantityOrUndefined(value: unknown): bigint | undefined {
  const quantity = parseQuantity(value);
  return quantity.ok ? quantity.nano : undefined;
}
