// provides.services (issue 11, the Ray cluster): what the RuleTester cases (test/network/declared-services.cases.ts) leave
// open, and the config errors a user can make, through the CLI.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRule } from '../tools/lib/core/rule-tester.ts';
import dependencyAllowed from '../policies/network-dependency-allowed.ts';
import { denyAllPolicy } from './helpers/manifests.ts';
import { copyFixture, runCli } from './helpers/cli.ts';
import { executor, RAY, registry, withRay } from './network/declared-services.cases.ts';

describe('provides.services in the config', () => {
  it('one reference read by two workloads is one egress finding per workload, not per read', () => {
    const second = executor.replace(/ray-executor/g, 'ray-submitter');
    const findings = runRule(dependencyAllowed, { name: 'two', yaml: registry(RAY) + executor + second + denyAllPolicy('fleet'), cluster: withRay });
    expect(findings.map((f) => f.object?.name)).toEqual(['ray-executor', 'ray-submitter']);
  });

  it('a service entry without ports stops the check with its file and line (exit 2)', () => {
    const dir = copyFixture('engine-repo');
    fs.mkdirSync(path.join(dir, 'policies'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'policies/config.yaml'), 'clusters:\n  prod:\n    provides:\n      services:\n        - { namespace: ray, name: ray-gpu-head-svc }\n');
    const run = runCli(['--rule', 'ports/dangling-reference'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:5: clusters.prod.provides.services.0 is missing "ports"');
    expect(run.stdout).toBe('');
  });

  it('a port outside 1-65535 stops the check with its line (exit 2)', () => {
    const dir = copyFixture('engine-repo');
    fs.mkdirSync(path.join(dir, 'policies'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'policies/config.yaml'), 'clusters:\n  prod:\n    provides:\n      services:\n        - namespace: ray\n          name: ray-gpu-head-svc\n          ports:\n            - port: 100001\n');
    const run = runCli(['--rule', 'ports/dangling-reference'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:8: clusters.prod.provides.services.0.ports.0.port must be <= 65535');
  });
});
