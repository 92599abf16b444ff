// A hostile user's battery: each input gets one defined outcome (a located finding, or a clean render), never a
// crash or a hang, and the healthy overlay beside it is still checked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../tools/lib/render/run-check.ts';
import pinnedTag from '../../policies/images-pinned-tag.ts';
import { bareDeployment } from '../helpers/manifests.ts';

const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n';
const component = (next: string) => `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents: [${next}]\n`;
const HEALTHY = 'good images/pinned-tag good/web.yaml:10';

async function check(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'battery-'));
  const all = { 'good/kustomization.yaml': 'resources: [web.yaml]\n', 'good/web.yaml': bareDeployment('web', 'web', 'nginx:latest'), ...files };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  const { report, clusters } = await runCheck({ root, paths: [path.join(root, 'bad'), path.join(root, 'good')], rules: [pinnedTag] });
  return { objects: clusters[0].rendered.objects.length, findings: report.findings.map((f) => `${f.cluster} ${f.rule} ${f.location?.file}:${f.location?.line} ${f.message}`) };
}

describe('bad-input battery', () => {
  it('a kustomization that includes itself: kustomize\'s cycle error, at the kustomization', async () => {
    const { findings } = await check({ 'bad/kustomization.yaml': 'resources: [cm.yaml, .]\n', 'bad/cm.yaml': cm });
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/^bad render\/failed bad\/kustomization.yaml:1 bad: (kubectl kustomize|kustomize build) failed: .*cycle detected/);
    expect(findings[1]).toMatch(HEALTHY);
  });

  it('a cycle of components: one render/failed finding naming the recursion', async () => {
    const { findings } = await check({ 'bad/kustomization.yaml': 'resources: [cm.yaml]\ncomponents: [../c1]\n', 'bad/cm.yaml': cm, 'c1/kustomization.yaml': component('../c2'), 'c2/kustomization.yaml': component('../c1') });
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/^bad render\/failed bad\/kustomization.yaml:1 bad: (kubectl kustomize|kustomize build) failed: .*recursed accumulation of path 'c1'/);
    expect(findings[1]).toMatch(HEALTHY);
  });

  it('a byte-order mark and CRLF line ends are legal YAML: rendered, no finding', async () => {
    const { objects, findings } = await check({ 'bad/kustomization.yaml': 'resources: [cm.yaml, crlf.yaml]\r\n', 'bad/cm.yaml': '\ufeff' + cm, 'bad/crlf.yaml': cm.replace('name: x', 'name: y').replace(/\n/g, '\r\n') });
    expect(objects).toBe(2);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(HEALTHY);
  });

  it('a NUL byte: kustomize refuses the control character, at the file', async () => {
    const { findings } = await check({ 'bad/kustomization.yaml': 'resources: [cm.yaml]\n', 'bad/cm.yaml': cm + '  b: x\0y\n' });
    expect(findings[0]).toMatch(/^bad render\/failed bad\/cm.yaml:1 bad: (kubectl kustomize|kustomize build) failed: accumulating resources: .*'cm.yaml': MalformedYAMLError: yaml: control characters are not allowed in File: cm.yaml$/);
    expect(findings).toHaveLength(2);
  });

  it('5,000 nested flow sequences: refused by preflight at the line, no stack overflow of the checker', async () => {
    const { findings } = await check({ 'bad/kustomization.yaml': 'resources: [cm.yaml]\n', 'bad/cm.yaml': cm + '  c: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n' });
    expect(findings[0]).toMatch(/^bad render\/failed bad\/cm.yaml:7 bad: bad\/cm.yaml:7:\d+: /);
    expect(findings).toHaveLength(2);
  });

  it('a thousand tiny files in a plain folder: all read, one object each', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) files[`bad/cm-${i}.yaml`] = cm.replace('name: x', `name: cm-${i}`);
    const { objects, findings } = await check(files);
    expect(objects).toBe(1000);
    expect(findings).toEqual([expect.stringMatching(HEALTHY)]);
  });
});
