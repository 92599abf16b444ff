// What a user sees from the schema rules and the workloadKinds option, through the real CLI.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli } from './helpers/cli.ts';

function repoWith(files: Record<string, string>): string {
  const dir = copyFixture('schema-overlay');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const worker = `apiVersion: batch.example.com/v1
kind: Worker
metadata:
  name: crunch
  namespace: shop
spec:
  pod:
    spec:
      containers:
        - name: crunch
          image: registry.example.com/crunch:latest
`;

describe('schema/strict on the command line', () => {
  it('prints each schema error at the patch line and exits 1', () => {
    const run = runCli(['overlay', '--rule', 'schema/strict'], repoWith({}));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').map((l) => l.trimEnd())).toEqual([
      'cluster overlay (path; 1 entry point, 1 objects)',
      '  overlay/kustomization.yaml',
      '    10:16    error    schema/strict                    spec.template.spec.containers[0].ports[1] repeats containerPort 8080, protocol "TCP" of ports[0]; this list is keyed by containerPort and protocol, and the API server (server-side apply) rejects duplicate keys',
      '                      Deployment shop/prod-web spec.template.spec.containers[0].ports[1]',
      '  overlay/web-tuning.yaml',
      '    7:3      error    schema/strict                    spec.replicas must be an integer, not the string "three"',
      '                      Deployment shop/prod-web spec.replicas',
      '    12:11    error    schema/strict                    unknown field "imagePullPolice" in spec.template.spec.containers[0]; did you mean "imagePullPolicy"?',
      '                      Deployment shop/prod-web spec.template.spec.containers[0].imagePullPolice',
      '',
      '✖ 3 errors, 0 warnings in 1 cluster',
      '',
    ]);
  });

  it('a custom resource without schema is an info line, not an error, and not a silent pass', () => {
    const run = runCli(['worker.yaml', '--rule', 'schema/strict'], repoWith({ 'worker.yaml': worker }));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('info     schema/strict');
    expect(run.stdout).toContain('Worker shop/crunch is not validated: no schema is known for batch.example.com/v1 Worker: no CustomResourceDefinition in this cluster or in schemas/crds/ defines it');
  });
});

describe('workloadKinds in policies/config.yaml', () => {
  it('makes the pod rules see a custom kind', () => {
    const config = 'workloadKinds:\n  - { group: batch.example.com, kind: Worker, podTemplatePath: spec.pod }\n';
    const run = runCli(['worker.yaml', '--rule', 'images/pinned-tag'], repoWith({ 'worker.yaml': worker, 'policies/config.yaml': config }));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('container "crunch" of Worker shop/crunch uses the floating tag "latest" in "registry.example.com/crunch:latest"');
    const without = runCli(['worker.yaml', '--rule', 'images/pinned-tag'], repoWith({ 'worker.yaml': worker }));
    expect(without.code).toBe(0);
  });

  it('names a declaration without its pod template path, with the line', () => {
    const config = 'workloadKinds:\n  - group: batch.example.com\n    kind: Worker\n';
    const run = runCli(['worker.yaml', '--rule', 'images/pinned-tag'], repoWith({ 'worker.yaml': worker, 'policies/config.yaml': config }));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:2: workloadKinds.0 is missing "podTemplatePath"');
  });
});
