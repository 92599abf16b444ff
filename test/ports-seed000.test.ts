// Seed 000 as a repository: the registry says 50055, monitoring's literal env dials orchestrator:50052.
// The broken version must fail with ports/env-from-registry and ports/dangling-reference on that line;
// the corrected version must pass every ports and resources rule clean.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterGraph } from '../tools/lib/core/graph.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';
import { defaultConfig } from '../tools/lib/core/config.ts';
import { evaluateCluster } from '../tools/lib/core/evaluate.ts';
import { memorySourceReader } from '../tools/lib/core/locate.ts';
import { findKustomize } from '../tools/lib/render/kustomize.ts';
import { runCheck } from '../tools/lib/render/run-check.ts';
import type { Finding } from '../tools/lib/core/types.ts';
import envFromRegistry from '../policies/ports-env-from-registry.ts';
import registryConsistency from '../policies/ports-registry-consistency.ts';
import danglingReference from '../policies/ports-dangling-reference.ts';
import namedTargetPort from '../policies/ports-named-target-port.ts';
import requestsLimits from '../policies/resources-requests-limits.ts';
import requestsWithinLimits from '../policies/resources-requests-within-limits.ts';
import clusterCapacity from '../policies/resources-cluster-capacity.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURE = 'test/fixtures/seed000';
const RULES = [envFromRegistry, registryConsistency, danglingReference, namedTargetPort, requestsLimits, requestsWithinLimits, clusterCapacity];
const K3S = { name: 'seed000', kubernetesVersion: '1.33', podSecurityMinimum: 'restricted' as const, capacity: { cpu: '4', memory: '8Gi', nodes: 1 } };

/** The resources listed by the kustomization, read file by file (what kustomize would render, with each object's own file). */
function filesOf(variant: string): Record<string, string> {
  const dir = path.join(ROOT, FIXTURE, variant);
  const kustomization = fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8');
  const resources = [...kustomization.matchAll(/^\s+-\s+(\S+\.yaml)$/gm)].map((m) => m[1]);
  return Object.fromEntries(resources.map((file) => [`${FIXTURE}/${variant}/${file}`, fs.readFileSync(path.join(dir, file), 'utf8')]));
}

function checkFiles(variant: string): Finding[] {
  const files = filesOf(variant);
  const objects = Object.entries(files).flatMap(([file, text]) => objectsFromYaml(text, file));
  const graph = new ClusterGraph(K3S.name, objects);
  return evaluateCluster({ cluster: K3S, graph, rules: RULES, config: defaultConfig(), read: memorySourceReader(files) });
}

const summary = (f: Finding) => ({ rule: f.rule, file: f.location?.file, line: f.location?.line, path: f.path?.join('.') });

const EXPECTED_BROKEN = [
  { rule: 'ports/env-from-registry', file: `${FIXTURE}/broken/monitoring.yaml`, line: 29, path: 'spec.template.spec.containers.0.env.1.value' },
  { rule: 'ports/dangling-reference', file: `${FIXTURE}/broken/monitoring.yaml`, line: 29, path: 'spec.template.spec.containers.0.env.1.value' },
];

describe('seed 000 reproduction (files as the kustomization lists them)', () => {
  it('the broken repository fails at monitoring.yaml:29 with both rules', () => {
    const findings = checkFiles('broken');
    expect(findings.map(summary)).toEqual(EXPECTED_BROKEN);
    const dangling = findings.find((f) => f.rule === 'ports/dangling-reference')!;
    expect(dangling.message).toBe(
      'Deployment swe-ai-fleet/monitoring-dashboard env ORCHESTRATOR_ADDRESS dials "orchestrator:50052", but Service swe-ai-fleet/orchestrator exposes 50055/TCP (grpc), not 50052',
    );
    expect(dangling.related?.[0]).toMatchObject({ message: 'Service swe-ai-fleet/orchestrator exposes 50055/TCP (grpc)', location: { file: `${FIXTURE}/broken/orchestrator.yaml`, line: 47 } });
    const literal = findings.find((f) => f.rule === 'ports/env-from-registry')!;
    expect(literal.message).toContain('read ORCHESTRATOR_ADDRESS from ConfigMap swe-ai-fleet/service-ports');
    expect(literal.fix).toContain('key: ORCHESTRATOR_ADDRESS');
    expect(literal.related?.[0].location).toMatchObject({ file: `${FIXTURE}/broken/service-ports.yaml`, line: 8 });
  });

  it('the corrected repository is clean', () => {
    expect(checkFiles('fixed').map(summary)).toEqual([]);
  });
});

const kustomize = await findKustomize().catch(() => undefined);

describe.skipIf(!kustomize)('seed 000 reproduction rendered by kustomize through the engine', () => {
  it('broken fails with both rules on the same line, fixed passes', async () => {
    const { report } = await runCheck({ root: ROOT, paths: [`${FIXTURE}/broken`, `${FIXTURE}/fixed`], rules: RULES });
    const byCluster = (name: string) => report.findings.filter((f) => f.cluster === name && !f.suppressed).map((f) => ({ ...summary(f) }));
    expect(byCluster(`${FIXTURE}/broken`)).toEqual(EXPECTED_BROKEN);
    expect(byCluster(`${FIXTURE}/fixed`)).toEqual([]);
  }, 60_000);
});
