// Seed 000 as a repository: the registry says 50055, monitoring's literal env dials orchestrator:50052.
// The broken version must fail with ports/env-from-registry and ports/dangling-reference on that line;
// the corrected version must pass every ports and resources rule clean.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
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

const summary = (f: Finding) => ({ rule: f.rule, file: f.location?.file, line: f.location?.line, path: f.path?.join('.') });

const EXPECTED_BROKEN = [
  { rule: 'ports/env-from-registry', file: `${FIXTURE}/broken/monitoring.yaml`, line: 29, path: 'spec.template.spec.containers.0.env.1.value' },
  { rule: 'ports/dangling-reference', file: `${FIXTURE}/broken/monitoring.yaml`, line: 29, path: 'spec.template.spec.containers.0.env.1.value' },
];

const kustomize = await findKustomize().catch(() => undefined);

describe.skipIf(!kustomize)('seed 000 reproduction rendered by kustomize through the engine', () => {
  let findings: (variant: string) => Finding[];
  beforeAll(async () => {
    const { report } = await runCheck({ root: ROOT, paths: [`${FIXTURE}/broken`, `${FIXTURE}/fixed`], rules: RULES });
    findings = (variant) => report.findings.filter((f) => f.cluster === `${FIXTURE}/${variant}` && !f.suppressed);
  }, 60_000);

  it('the broken repository fails at monitoring.yaml:29 with both rules', () => {
    expect(findings('broken').map(summary)).toEqual(EXPECTED_BROKEN);
    const dangling = findings('broken').find((f) => f.rule === 'ports/dangling-reference')!;
    expect(dangling.message).toBe(
      'Deployment swe-ai-fleet/monitoring-dashboard env ORCHESTRATOR_ADDRESS dials "orchestrator:50052", but Service swe-ai-fleet/orchestrator exposes 50055/TCP (grpc), not 50052',
    );
    expect(dangling.related?.[0]).toMatchObject({ message: 'Service swe-ai-fleet/orchestrator exposes 50055/TCP (grpc)', location: { file: `${FIXTURE}/broken/orchestrator.yaml`, line: 47 } });
    const literal = findings('broken').find((f) => f.rule === 'ports/env-from-registry')!;
    expect(literal.message).toContain('read ORCHESTRATOR_ADDRESS from ConfigMap swe-ai-fleet/service-ports');
    expect(literal.fix).toContain('key: ORCHESTRATOR_ADDRESS');
    expect(literal.related?.[0].location).toMatchObject({ file: `${FIXTURE}/broken/service-ports.yaml`, line: 8 });
  });

  it('the corrected repository is clean', () => {
    expect(findings('fixed').map(summary)).toEqual([]);
  });
});
