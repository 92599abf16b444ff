// Issue 11: the order the seeds need (infrastructure, then its configuration, then the apps) must be in git. On main the
// Flux `apps` Kustomizations had `wait: false` and Argo CD's Application health check was a manual argocd-cm patch.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.ts';

const render = (folder: string) =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', folder], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })).map((d) => d.toJS()).filter(Boolean);

describe.each(['k3s', 'kind'])('issue 11: Flux order on %s', (cluster) => {
  const kustomizations = new Map(render(`clusters/${cluster}`).filter((o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')).map((k) => [k.metadata.name, k]));

  it('infra-controllers -> infra-configs -> apps, each waiting for its objects to be ready', () => {
    expect(kustomizations.get('infra-configs')?.spec.dependsOn).toEqual([{ name: 'infra-controllers' }]);
    expect(kustomizations.get('apps')?.spec.dependsOn).toEqual([{ name: 'infra-configs' }]);
    for (const name of ['infra-controllers', 'infra-configs', 'apps']) expect([name, kustomizations.get(name)?.spec.wait]).toEqual([name, true]);
  });
});

describe.each(['staging', 'production'])('issue 11: Argo CD sync waves on %s', (cluster) => {
  const objects = render(`clusters/${cluster}`);

  it('argocd-cm with the Application health check is rendered from git, before every wave', () => {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === 'argocd' && o.metadata.name === 'argocd-cm');
    expect(cm, 'argocd-cm rendered').toBeDefined();
    const lua: string = cm.data['resource.customizations.health.argoproj.io_Application'];
    expect(lua).toContain('hs.status = obj.status.health.status');
    expect(lua.trim().endsWith('return hs')).toBe(true);
    const waves = objects.filter((o) => o.kind === 'Application').map((a) => Number(a.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0));
    expect(Number(cm.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(Math.min(...waves));
  });

});
