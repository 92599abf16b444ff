// Paths that leave the repository (by `..` or through a symlink) are refused where they are named, and never
// read: the file outside holds a Deployment with a floating tag, and that finding must not appear.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../tools/lib/render/run-check.ts';
import pinnedTag from '../../policies/images-pinned-tag.ts';
import { bareDeployment } from '../helpers/manifests.ts';
import { runCli } from '../helpers/cli.ts';

const WHY = 'Flux and Argo CD read only the files of their source, so the checker refuses it and does not read it';

/** base/outside/web.yaml (a finding if read) beside base/work/repo, the repository with `files`; symlinks as [link, target]. */
function layout(files: Record<string, string>, links: [string, string][] = []): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'confine-'));
  const root = path.join(base, 'work', 'repo');
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  write(path.join(base, 'outside', 'web.yaml'), bareDeployment('outside', 'outside', 'nginx:latest'));
  write(path.join(base, 'outside', 'kustomization.yaml'), 'resources: [web.yaml]\n');
  write(path.join(root, 'good', 'kustomization.yaml'), 'resources: [web.yaml]\n');
  write(path.join(root, 'good', 'web.yaml'), bareDeployment('web', 'web', 'nginx:1.27.3'));
  for (const [file, text] of Object.entries(files)) write(path.join(root, file), text);
  for (const [link, target] of links) {
    fs.mkdirSync(path.dirname(path.join(root, link)), { recursive: true });
    fs.symlinkSync(target.replace('<outside>', path.join(base, 'outside')), path.join(root, link));
  }
  return root;
}

const flux = (name: string, repoPath: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 5m\n  path: ${repoPath}\n  prune: true\n  targetNamespace: web\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;

async function findings(root: string, paths?: string[]) {
  const { report } = await runCheck({ root, rules: [pinnedTag], ...(paths ? { paths: paths.map((p) => path.join(root, p)) } : {}) });
  return report.findings.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line} ${f.message}`);
}

describe('paths outside the repository', () => {
  it('a Flux Kustomization with path: ../../outside is refused at spec.path; the other entry points are checked', async () => {
    const root = layout({ 'clusters/one/kustomization.yaml': 'resources: [apps.yaml]\n', 'clusters/one/apps.yaml': flux('escape', '../../outside') + '---\n' + flux('good', './good') });
    expect(await findings(root)).toEqual([`render/outside-repository clusters/one/apps.yaml:8 Kustomization flux-system/escape: its path names ../../outside, which is outside the repository; ${WHY}`]);
  });

  it('a symlink in a plain folder to a YAML file outside is refused at the link, and the file is not read', async () => {
    const root = layout({ 'clusters/one/kustomization.yaml': 'resources: [apps.yaml]\n', 'clusters/one/apps.yaml': flux('plain', './plain'), 'plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' }, [['plain/web.yaml', '<outside>/web.yaml']]);
    expect(await findings(root)).toEqual([`render/outside-repository plain/web.yaml:1 Kustomization flux-system/plain: plain/web.yaml, a symlink to a path outside the repository; ${WHY}`]);
  });

  it('a symlinked folder as the entry point: refused, naming the link', async () => {
    const root = layout({ 'clusters/one/kustomization.yaml': 'resources: [apps.yaml]\n', 'clusters/one/apps.yaml': flux('linked', './apps/linked') }, [['apps/linked', '<outside>']]);
    expect(await findings(root)).toEqual([`render/outside-repository clusters/one/apps.yaml:8 Kustomization flux-system/linked: its path names apps/linked, a symlink to a path outside the repository; ${WHY}`]);
  });

  it('kustomization references that climb out, by .. or a symlink, each at its line; generator files too', async () => {
    const kustomization = [
      'resources:',
      '  - ../../../outside/web.yaml',
      '  - linked.yaml',
      '  - ../../../outside',
      'configMapGenerator:',
      '  - name: stolen',
      '    files:',
      '      - key=../../../outside/web.yaml',
      '    envs: [../../../outside/web.yaml]',
    ].join('\n') + '\n';
    const root = layout({ 'app/kustomization.yaml': kustomization }, [['app/linked.yaml', '<outside>/web.yaml']]);
    expect(await findings(root, ['app', 'good'])).toEqual([
      `render/outside-repository app/kustomization.yaml:2 app: app/kustomization.yaml names ../../../outside/web.yaml, which is outside the repository; ${WHY}`,
      `render/outside-repository app/kustomization.yaml:3 app: app/kustomization.yaml names linked.yaml, a symlink to a path outside the repository; ${WHY}`,
      `render/outside-repository app/kustomization.yaml:4 app: app/kustomization.yaml names ../../../outside, which is outside the repository; ${WHY}`,
      `render/outside-repository app/kustomization.yaml:8 app: app/kustomization.yaml names ../../../outside/web.yaml, which is outside the repository; ${WHY}`,
      `render/outside-repository app/kustomization.yaml:9 app: app/kustomization.yaml names ../../../outside/web.yaml, which is outside the repository; ${WHY}`,
    ]);
  });

  it('a symlink that stays inside the repository is followed as before', async () => {
    // kustomize's own load restrictor still wants it below the kustomization
    const root = layout({ 'app/kustomization.yaml': 'resources: [web.yaml]\n', 'app/data/web.yaml': bareDeployment('web', 'web', 'nginx:1.27.3') }, [['app/web.yaml', 'data/web.yaml']]);
    const { clusters } = await runCheck({ root, rules: [pinnedTag], paths: [path.join(root, 'app')] });
    expect(clusters[0].rendered.objects.map((o) => o.object.metadata.name)).toEqual(['web']);
    expect(clusters[0].findings).toEqual([]);
  });

  it('CLI: the finding and exit 1, and nothing of the outside file in the output', () => {
    const root = layout({ 'clusters/one/kustomization.yaml': 'resources: [apps.yaml]\n', 'clusters/one/apps.yaml': flux('escape', '../../outside') });
    fs.mkdirSync(path.join(root, '.git'));
    const result = runCli(['--format', 'json', '--rule', 'images/pinned-tag'], root);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((f: any) => `${f.rule} ${f.location.file}:${f.location.line}`)).toEqual(['render/outside-repository clusters/one/apps.yaml:8']);
    expect(result.stdout).not.toContain('nginx:latest');
  }, 60_000);
});
