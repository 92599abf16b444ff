// The issue 14 rules through the real command line: config errors a user can make in their options,
// and findings from a real kustomize render with file:line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, runCli } from './helpers/cli.ts';

const withConfig = (text: string) => {
  const dir = copyFixture('engine-repo');
  fs.mkdirSync(path.join(dir, 'policies'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'policies/config.yaml'), text);
  return dir;
};

const wildcardRole = `---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: web-reader
rules:
  - apiGroups: [""]
    resources: ["*"]
    verbs: ["get"]
`;

describe('issue 14 rules on the command line', () => {
  it('an allow-list entry without a reason is a config error with its line', () => {
    const run = runCli(['--rule', 'rbac/sensitive-permissions'], withConfig('rules:\n  rbac/sensitive-permissions:\n    options:\n      allow:\n        - object: "ClusterRole ci"\n          permissions: [read-secrets]\n'));
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:5: options of rbac/sensitive-permissions: allow.0 is missing "reason"');
    expect(run.code).toBe(2);
  });

  it('an unknown permission name is a config error with its line', () => {
    const run = runCli(['--rule', 'rbac/sensitive-permissions'], withConfig('rules:\n  rbac/sensitive-permissions:\n    options:\n      allow:\n        - object: "ClusterRole ci"\n          permissions: [secrets]\n          reason: the CI reads its deploy keys\n'));
    expect(run.stderr.trim()).toBe('policy-check: policies/config.yaml:6: options of rbac/sensitive-permissions: allow.0.permissions.0 must be one of read-secrets, pods-exec, pods-attach, escalate, bind, impersonate, cluster-admin');
    expect(run.code).toBe(2);
  });

  it('a wildcard Role rendered by kustomize is reported at its file and line, and a documented allow entry clears it', () => {
    const dir = withConfig('rules: {}\n');
    const file = path.join(dir, 'apps/web/deployment.yaml');
    fs.appendFileSync(file, wildcardRole);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const rule = lines.indexOf('  - apiGroups: [""]') + 1;
    const run = runCli(['--rule', 'rbac/no-wildcards', '--rule', 'rbac/sensitive-permissions', '--format', 'json', 'overlays/prod'], dir);
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout).findings.map((f: any) => `${f.rule} ${f.location.file}:${f.location.line} ${f.message}`);
    expect(findings).toEqual([
      `rbac/no-wildcards apps/web/deployment.yaml:${rule + 1} Role prod/web-reader rules[0] grants every resource ("*" in resources); name what it needs`,
      `rbac/sensitive-permissions apps/web/deployment.yaml:${rule} Role prod/web-reader rules[0] reads Secrets (get, list or watch on secrets), and with them every credential of the namespace; allow it in the rule's options with a reason if it is needed`,
    ]);

    fs.writeFileSync(path.join(dir, 'policies/config.yaml'), 'rules:\n  rbac/no-wildcards:\n    options:\n      allow:\n        - object: "Role prod/web-reader"\n          reason: reads every kind of its namespace for the status page\n');
    const allowed = runCli(['--rule', 'rbac/no-wildcards', 'overlays/prod'], dir);
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('no findings');
  });
});
