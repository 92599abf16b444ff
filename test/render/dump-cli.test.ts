// --dump DIR, run as a user runs it: one file per entry point and cluster, holding what the reconciler applies.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/cli.ts';
import { KUSTOMIZATION, argoApplication, configMap, fluxKustomization, writeRepo } from '../helpers/reconciler-repo.ts';
import { dumpFileName } from '../../tools/lib/render/dump.ts';

const read = (file: string) => parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());

const namespaces = (...names: string[]) => names.map((n) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n`).join('---\n');

describe('--dump DIR', () => {
  const files = {
    'clusters/flux/namespaces.yaml': namespaces('flux-system', 'team'),
    'clusters/argo/namespaces.yaml': namespaces('argocd', 'dest'),
    'clusters/flux/app.yaml': fluxKustomization('app', '  targetNamespace: team\n  postBuild:\n    substitute:\n      TAG: v2\n'),
    'clusters/argo/app.yaml': argoApplication('app', '    kustomize:\n      namePrefix: p-\n', 'dest'),
    'app/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - settings.yaml\n`,
    'app/settings.yaml': configMap('settings', undefined, 'tag: "${TAG}"'),
  };

  it('writes DIR/<cluster>/<entry point>.yaml with the objects after the reconciler\'s steps, and leaves the repository alone', () => {
    const root = writeRepo(files);
    const dump = fs.mkdtempSync(path.join(os.tmpdir(), 'dump-'));
    const run = runCli(['--dump', dump, '--format', 'json'], root);
    expect(run.code).toBe(0);
    const listed = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listed(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
    expect(listed(dump).sort()).toEqual(['argo/Application-argocd-app.yaml', 'argo/clusters-argo.yaml', 'flux/Kustomization-flux-system-app.yaml', 'flux/clusters-flux.yaml']);
    // Flux: targetNamespace and the substitution applied; no annotation of the checker's own
    expect(read(path.join(dump, 'flux/Kustomization-flux-system-app.yaml'))).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team' }, data: { tag: 'v2' } },
    ]);
    // Argo CD: the prefix, and the destination namespace the controller gives an object that names none
    expect(read(path.join(dump, 'argo/Application-argocd-app.yaml'))).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p-settings', namespace: 'dest' }, data: { tag: '${TAG}' } },
    ]);
    expect(fs.readFileSync(path.join(dump, 'flux/Kustomization-flux-system-app.yaml'), 'utf8').split('\n')[0]).toBe('# Kustomization flux-system/app: 1 object');
    expect(fs.readFileSync(path.join(root, 'app/kustomization.yaml'), 'utf8')).toBe(files['app/kustomization.yaml']);
  });

  it('without reconciler options the dump is exactly what kubectl kustomize builds', () => {
    const root = writeRepo({ 'clusters/flux/namespaces.yaml': namespaces('flux-system', 'team'), 'clusters/flux/app.yaml': fluxKustomization('app'), 'app/kustomization.yaml': `${KUSTOMIZATION}namespace: team\nresources:\n  - settings.yaml\n`, 'app/settings.yaml': configMap('settings') });
    const dump = fs.mkdtempSync(path.join(os.tmpdir(), 'dump-'));
    expect(runCli(['--dump', dump], root).code).toBe(0);
    const kubectl = spawnSync('kubectl', ['kustomize', path.join(root, 'app')], { encoding: 'utf8' });
    if (kubectl.status !== 0) throw new Error(`kubectl kustomize failed: ${kubectl.stderr}`);
    expect(read(path.join(dump, 'flux/Kustomization-flux-system-app.yaml'))).toEqual(parseAllDocuments(kubectl.stdout).map((d) => d.toJS()));
  });

  it('a DIR that is a file is a usage error: exit 2 and the reason', () => {
    const root = writeRepo(files);
    const file = path.join(root, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const run = runCli(['--dump', 'not-a-folder'], root);
    expect([run.code, run.stderr.trim()]).toEqual([2, `policy-check: --dump ${file}: exists and is not a folder`]);
  });

  it('file names keep letters, digits, dots and dashes', () => {
    expect([dumpFileName('Kustomization flux-system/apps'), dumpFileName('Application argocd/multi (source 2)'), dumpFileName('../..')]).toEqual([
      'Kustomization-flux-system-apps.yaml',
      'Application-argocd-multi-source-2.yaml',
      'entry-point.yaml',
    ]);
  });
});
