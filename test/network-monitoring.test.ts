// Proof for issue 5: seed 000's monitoring dashboard, rendered by the real kustomize, with its policies.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect, beforeAll } from 'vitest';
import { findKustomize } from '../tools/lib/render/kustomize.ts';
import { run } from '../tools/lib/render/process.ts';
import { defaultConfig } from '../tools/lib/core/config.ts';
import { checkCluster } from '../tools/lib/core/check-cluster.ts';
import { memorySourceReader } from '../tools/lib/core/locate.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';
import type { ClusterGraph } from '../tools/lib/core/graph.ts';
import { describeRef } from '../tools/lib/core/rule.ts';
import type { Finding, RenderedObject } from '../tools/lib/core/types.ts';
import { connectivityOf, formatConnectivity } from '../tools/lib/network/connectivity.ts';
import defaultDeny from '../policies/network-default-deny.ts';
import serviceIngress from '../policies/network-service-ingress.ts';
import dependencyAllowed from '../policies/network-dependency-allowed.ts';
import dnsEgress from '../policies/network-dns-egress.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'monitoring-net');
const RENDERED = 'rendered.yaml';
const NETWORK_RULES = [defaultDeny, serviceIngress, dependencyAllowed, dnsEgress];

async function render(variant: string): Promise<string> {
  const kustomize = await findKustomize();
  const result = await run(kustomize.command, [...kustomize.args, path.join(FIXTURES, variant)]);
  if (result.code !== 0) throw new Error(`${kustomize.display} ${variant} failed: ${result.stderr}`);
  return result.stdout;
}

function check(yaml: string, mutate?: (objects: RenderedObject[]) => void): { graph: ClusterGraph; findings: Finding[] } {
  const objects = objectsFromYaml(yaml, RENDERED);
  mutate?.(objects);
  const settings = { name: 'test', kubernetesVersion: '1.31', podSecurityMinimum: 'restricted' as const };
  const { graph, findings } = checkCluster({ objects, settings, rules: NETWORK_RULES, config: defaultConfig(), sources: memorySourceReader({ [RENDERED]: yaml }), today: new Date() });
  return { graph, findings };
}

const DASHBOARD = 'Deployment swe-ai-fleet/monitoring-dashboard';
const EDGES = [
  { to: 'Deployment swe-ai-fleet/orchestrator', port: 50055, service: 'Service swe-ai-fleet/orchestrator', env: 'ORCHESTRATOR_ADDRESS' },
  { to: 'Deployment swe-ai-fleet/ray-executor', port: 50056, service: 'Service swe-ai-fleet/ray-executor', env: 'RAY_EXECUTOR_ADDRESS' },
  { to: 'StatefulSet swe-ai-fleet/nats', port: 4222, service: 'Service swe-ai-fleet/nats', env: 'NATS_URL' },
  { to: 'StatefulSet swe-ai-fleet/neo4j', port: 7687, service: 'Service swe-ai-fleet/neo4j', env: 'NEO4J_URI' },
  { to: 'StatefulSet swe-ai-fleet/valkey', port: 6379, service: 'Service swe-ai-fleet/valkey', env: 'VALKEY_URL' },
];

describe('monitoring dashboard of seed 000 behind NetworkPolicies', () => {
  let base = '';
  let withoutValkeyEgress = '';
  beforeAll(async () => {
    base = await render('base');
    withoutValkeyEgress = await render('without-valkey-egress');
  });

  it('with the right policies every network rule is satisfied', () => {
    expect(check(base).findings).toEqual([]);
  });

  it('the matrix shows exactly the five dependency edges', () => {
    const edges = connectivityOf(check(base).graph);
    expect(edges).toEqual(
      EDGES.map((e) => ({ from: DASHBOARD, to: e.to, port: e.port, protocol: 'TCP' })).sort((a, b) => a.to.localeCompare(b.to)),
    );
    expect(formatConnectivity(edges)).toBe(
      [
        'FROM                                          TO                                    PORTS',
        'Deployment swe-ai-fleet/monitoring-dashboard  Deployment swe-ai-fleet/orchestrator  50055/TCP',
        'Deployment swe-ai-fleet/monitoring-dashboard  Deployment swe-ai-fleet/ray-executor  50056/TCP',
        'Deployment swe-ai-fleet/monitoring-dashboard  StatefulSet swe-ai-fleet/nats         4222/TCP',
        'Deployment swe-ai-fleet/monitoring-dashboard  StatefulSet swe-ai-fleet/neo4j        7687/TCP',
        'Deployment swe-ai-fleet/monitoring-dashboard  StatefulSet swe-ai-fleet/valkey       6379/TCP',
        '',
      ].join('\n'),
    );
  });

  it('the variant without the Valkey egress rule has exactly one finding, naming that edge', () => {
    const { graph, findings } = check(withoutValkeyEgress);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding.rule).toBe('network/dependency-allowed');
    expect(describeRef(finding.object!)).toBe(DASHBOARD);
    expect(finding.path).toEqual(['spec', 'template', 'spec', 'containers', 0, 'env', 5]);
    expect(finding.message).toBe(
      'Deployment swe-ai-fleet/monitoring-dashboard depends on Service swe-ai-fleet/valkey port 6379/TCP ' +
        '("redis://valkey.swe-ai-fleet.svc.cluster.local:6379" via configMapKeyRef) but NetworkPolicies block it (missing egress): ' +
        'egress at the source to StatefulSet swe-ai-fleet/valkey port 6379/TCP is not allowed ' +
        '(isolated by swe-ai-fleet/allow-dns, swe-ai-fleet/default-deny, swe-ai-fleet/monitoring-dashboard-egress and no rule admits it)',
    );
    expect(finding.fix).toContain('name: monitoring-dashboard-to-valkey');
    expect(finding.fix).toContain('port: 6379');
    expect(finding.related?.map((r) => r.message)).toEqual([
      'destination Service swe-ai-fleet/valkey port 6379/TCP',
      'address "redis://valkey.swe-ai-fleet.svc.cluster.local:6379" is written here',
    ]);
    expect(connectivityOf(graph).map((e) => e.to)).not.toContain('StatefulSet swe-ai-fleet/valkey');
    expect(connectivityOf(graph)).toHaveLength(4);
  });

  for (const [ruleIndex, edge] of EDGES.entries()) {
    it(`removing egress rule ${ruleIndex} (${edge.to}) gives one finding for ${edge.service} port ${edge.port}`, () => {
      const { findings } = check(base, (objects) => {
        const policy = objects.find((o) => o.object.kind === 'NetworkPolicy' && o.object.metadata.name === 'monitoring-dashboard-egress')!;
        (policy.object as any).spec.egress.splice(ruleIndex, 1);
      });
      expect(findings.map((f) => [f.rule, describeRef(f.object!), f.message.split(' (')[0]])).toEqual([
        ['network/dependency-allowed', DASHBOARD, `${DASHBOARD} depends on ${edge.service} port ${edge.port}/TCP`],
      ]);
      expect(findings[0].message).toContain('(missing egress)');
    });
  }

  it('removing an ingress policy instead names the missing side at the destination', () => {
    const { findings } = check(base, (objects) => {
      const index = objects.findIndex((o) => o.object.kind === 'NetworkPolicy' && o.object.metadata.name === 'nats-ingress');
      objects.splice(index, 1);
    });
    expect(findings.map((f) => f.rule).sort()).toEqual(['network/dependency-allowed', 'network/service-ingress']);
    const dependency = findings.find((f) => f.rule === 'network/dependency-allowed')!;
    expect(dependency.message).toContain('(missing ingress): ingress at the destination StatefulSet swe-ai-fleet/nats port 4222/TCP is not allowed');
  });
});
