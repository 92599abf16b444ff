// schema/strict through real kustomize: a finding a patch causes points at the patch's line.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCheck } from '../tools/lib/render/run-check.ts';
import { REPO_ROOT } from './helpers/cli.ts';
import strict from '../policies/schema-strict.ts';
import { describeRef } from '../tools/lib/core/rule.ts';
import { formatPath } from '../tools/lib/core/yaml-source.ts';

const fixture = path.join(REPO_ROOT, 'test/fixtures/schema-overlay');

describe('schema/strict through an overlay patch', () => {
  it('blames the strategic-merge patch and the JSON patch that broke the object', async () => {
    const result = await runCheck({ root: fixture, paths: [path.join(fixture, 'overlay')], rules: [strict] });
    const findings = result.report.findings.map((f) => ({ object: f.object && describeRef(f.object), path: f.path && formatPath(f.path), file: f.location?.file, line: f.location?.line, message: f.message }));
    expect(findings).toEqual([
      { object: 'Deployment shop/prod-web', path: 'spec.replicas', file: 'overlay/web-tuning.yaml', line: 7, message: 'spec.replicas must be an integer, not the string "three"' },
      { object: 'Deployment shop/prod-web', path: 'spec.template.spec.containers[0].imagePullPolice', file: 'overlay/web-tuning.yaml', line: 12, message: 'unknown field "imagePullPolice" in spec.template.spec.containers[0]; did you mean "imagePullPolicy"?' },
      { object: 'Deployment shop/prod-web', path: 'spec.template.spec.containers[0].ports[1]', file: 'overlay/kustomization.yaml', line: 10, message: 'spec.template.spec.containers[0].ports[1] repeats containerPort 8080, protocol "TCP" of ports[0]; this list is keyed by containerPort and protocol, and the API server (server-side apply) rejects duplicate keys' },
    ]);
  });
});
