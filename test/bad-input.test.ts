// Bad input never crashes the checker or loses a finding elsewhere: each gets one located finding.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../tools/lib/render/run-check.ts';
import pinnedTag from '../policies/images-pinned-tag.ts';
import { bareDeployment } from './helpers/manifests.ts';

const healthy = bareDeployment('web', 'web', 'nginx:latest');

/** A repository with one healthy overlay (with one real finding) and one broken by `files`. */
function repoWith(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('good/kustomization.yaml', 'resources: [web.yaml]\n');
  write('good/web.yaml', healthy);
  for (const [file, text] of Object.entries(files)) write(file, text);
  return root;
}

async function check(root: string) {
  const { report } = await runCheck({ root, paths: [path.join(root, 'bad'), path.join(root, 'good')], rules: [pinnedTag] });
  return report.findings.map((f) => `${f.cluster} ${f.rule} ${f.location?.file}:${f.location?.line} ${f.message}`);
}

const aliasBomb = () => {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: bomb', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let previous = 'a';
  for (const name of 'bcdefgh') {
    lines.push(`  ${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    previous = name;
  }
  return lines.join('\n') + '\n';
};

describe('bad input', () => {
  it('malformed YAML: located, and the healthy overlay is still checked', async () => {
    const findings = await check(repoWith({ 'bad/kustomization.yaml': 'resources: [cm.yaml]\n', 'bad/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [unclosed\n' }));
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/^bad render\/failed bad\/cm.yaml:\d+ bad: bad\/cm.yaml:\d+:\d+: /);
    expect(findings[1]).toBe('good images/pinned-tag good/web.yaml:10 container "web" of Deployment default/web uses the floating tag "latest" in "nginx:latest"');
  });

  it('duplicate keys: located at the second key', async () => {
    const findings = await check(repoWith({ 'bad/kustomization.yaml': 'resources: [cm.yaml]\n', 'bad/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n  a: "2"\n' }));
    expect(findings[0]).toBe('bad render/failed bad/cm.yaml:7 bad: bad/cm.yaml:7:3: Map keys must be unique');
    expect(findings).toHaveLength(2);
  });

  it('an alias bomb is refused in milliseconds instead of hanging kustomize', async () => {
    const started = Date.now();
    const findings = await check(repoWith({ 'bad/kustomization.yaml': 'resources: [bomb.yaml]\n', 'bad/bomb.yaml': aliasBomb() }));
    expect(findings[0]).toBe('bad render/failed bad/bomb.yaml:1 bad: bad/bomb.yaml:1:1: Excessive alias count indicates a resource exhaustion attack');
    expect(findings).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(30_000); // a hang would hit the test timeout, not this line
  });

  it('a huge file is refused with its size', async () => {
    const big = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n' + Array.from({ length: 100_000 }, (_, i) => `  key${i}: "${'x'.repeat(80)}"`).join('\n') + '\n';
    const findings = await check(repoWith({ 'bad/kustomization.yaml': 'resources: [big.yaml]\n', 'bad/big.yaml': big }));
    expect(findings[0]).toMatch(/^bad render\/failed bad\/big.yaml:1 bad: bad\/big.yaml is \d+\.\d MiB, more than the 8 MiB the checker renders/);
    expect(findings).toHaveLength(2);
  });

  it('a missing resource: kustomize\'s message, located at the kustomization', async () => {
    const findings = await check(repoWith({ 'bad/kustomization.yaml': 'resources: [missing.yaml]\n' }));
    expect(findings[0]).toMatch(/^bad render\/failed bad\/kustomization.yaml:1 bad: kubectl kustomize failed: .*missing.yaml|^bad render\/failed bad\/kustomization.yaml:1 bad: kustomize build failed: .*missing.yaml/);
    expect(findings).toHaveLength(2);
  });

  it('YAML that is not a Kubernetes object', async () => {
    const findings = await check(repoWith({ 'bad/kustomization.yaml': 'resources: [x.yaml]\n', 'bad/x.yaml': 'just: a map\n' }));
    expect(findings[0]).toMatch(/^bad render\/failed bad\/x.yaml:1 bad: .*missing Resource metadata/);
    expect(findings).toHaveLength(2);
  });

  it('a rule that throws is a finding, and the other rules still run', async () => {
    const crashing = { ...pinnedTag, id: 'test/crash', check: () => { throw new Error('boom'); } };
    const root = repoWith({});
    const { report } = await runCheck({ root, paths: [path.join(root, 'good')], rules: [crashing, pinnedTag] });
    expect(report.findings.map((f) => `${f.rule} ${f.message}`)).toEqual([
      'policy/rule-failed rule test/crash failed on this cluster: boom',
      'images/pinned-tag container "web" of Deployment default/web uses the floating tag "latest" in "nginx:latest"',
    ]);
  });
});

describe('conflicting entry points', () => {
  it('the same object from two Flux Kustomizations of one cluster is a finding naming both', async () => {
    const root = repoWith({
      'clusters/dup/apps.yaml': ['one', 'two']
        .map((n) => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${n}\n  namespace: flux-system\nspec:\n  path: ./good\n  targetNamespace: shop\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  prune: true\n  interval: 5m\n`)
        .join('---\n'),
    });
    const { report } = await runCheck({ root, rules: [] });
    expect(report.findings.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line} ${f.message} | ${f.related?.[0].message}`)).toEqual([
      'render/duplicate-object good/web.yaml:1 Deployment shop/web is rendered by both Kustomization flux-system/one and Kustomization flux-system/two | also rendered by Kustomization flux-system/one',
    ]);
  });
});
