// Large but legal input: plain YAML in PATH mode is read as written (linear), not through kustomize (superlinear:
// 269 s for 5,000 documents on this machine), and the render limit for kustomization input grows with its documents.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../tools/lib/render/run-check.ts';
import { renderTimeoutMs } from '../../tools/lib/render/render.ts';
import { configMaps } from '../../bench/large-file.ts';
import pinnedTag from '../../policies/images-pinned-tag.ts';
import { bareDeployment } from '../helpers/manifests.ts';
import { runCli } from '../helpers/cli.ts';

function repoWith(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'large-input-'));
  fs.mkdirSync(path.join(root, '.git'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('large plain YAML in PATH mode', () => {
  it('a 5,000-document file is checked, every object counted, well inside the render limit', () => {
    // a kustomize that fails proves the file is not sent to kustomize
    const root = repoWith({ 'dump.yaml': configMaps(4999) + '---\n' + bareDeployment('web', 'web', 'nginx:latest') });
    const started = Date.now();
    const result = runCli(['dump.yaml', '--format', 'json', '--rule', 'images/pinned-tag'], root, { KUSTOMIZE: '/bin/true' });
    const seconds = (Date.now() - started) / 1000;
    const report = JSON.parse(result.stdout);
    expect(report.clusters[0].objectCount).toBe(5000);
    expect(report.findings.map((f: any) => `${f.rule} ${f.location.file}:${f.location.line}`)).toEqual([`images/pinned-tag dump.yaml:${4999 * 8 + 10}`]);
    expect(result.code).toBe(1);
    expect(seconds).toBeLessThan(90);
  }, 120_000);

  it('kustomize\'s rules for plain YAML: empty documents dropped, v1 List expanded, a non-object and a second copy refused at their lines', async () => {
    const text = [
      '---',
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b',
      '- just\n- a list',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a',
    ].join('\n---\n') + '\n';
    const root = repoWith({ 'plain/all.yaml': text, 'plain/web.yaml': bareDeployment('web', 'web', 'nginx:latest') });
    const { report, clusters } = await runCheck({ root, paths: [path.join(root, 'plain')], rules: [pinnedTag] });
    expect(clusters[0].rendered.objects.map((o) => `${o.object.kind} ${o.object.metadata.name} ${o.origin.file}`)).toEqual(['ConfigMap a plain/all.yaml', 'ConfigMap b plain/all.yaml', 'Deployment web plain/web.yaml']);
    expect(report.findings.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line} ${f.message}`)).toEqual([
      'render/failed plain/all.yaml:15 plain: plain/all.yaml:15: this document is a list, not a Kubernetes object (a map with apiVersion, kind and metadata)',
      'render/failed plain/all.yaml:18 plain: plain/all.yaml:18: ConfigMap a is already defined at plain/all.yaml:3; kubectl apply would keep only one of them',
      'images/pinned-tag plain/web.yaml:10 container "web" of Deployment default/web uses the floating tag "latest" in "nginx:latest"',
    ]);
  });

  it('the render limit covers kustomize\'s measured cost with room to spare', () => {
    // measured: 4.4 s at 1,000 documents, 34 s at 2,500, 269 s at 5,000
    expect(renderTimeoutMs(0, undefined, 1000)).toBe(90_000);
    expect(renderTimeoutMs(250_000, undefined, 2500) / 1000).toBeGreaterThan(3 * 34);
    expect(renderTimeoutMs(500_000, undefined, 5000) / 1000).toBeGreaterThan(3 * 269);
    expect(renderTimeoutMs(500_000, 60, 5000)).toBe(60_000);
  });
});
