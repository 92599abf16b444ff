// .github/workflows/e2e-kind.yml cannot run here (no Docker engine). What can be checked without one: the cluster it
// creates is the one clusters/kind describes, the Flux it installs is the one the CRD schemas are pinned to, and
// the sync step, run with stand-ins for kubectl and flux, produces objects that point clusters/kind at the commit
// under test once the real kustomize applies its patches (as kustomize-controller would).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const REPO = path.resolve(import.meta.dirname, '../..');
const workflow = parse(fs.readFileSync(path.join(REPO, '.github/workflows/e2e-kind.yml'), 'utf8'));
const steps: { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; if?: string }[] = workflow.jobs.kind.steps;
const step = (prefix: string) => steps.find((s) => s.name?.startsWith(prefix) || s.uses?.startsWith(prefix))!;

describe('e2e-kind workflow', () => {
  it('runs on pushes to main and pull requests that change what kind deploys, and by hand', () => {
    const paths = ['clusters/kind/**', 'overlays/**', 'apps/**', 'components/**', 'infrastructure/**', '.github/workflows/e2e-kind.yml'];
    expect(workflow.on).toEqual({ workflow_dispatch: null, push: { branches: ['main'], paths }, pull_request: { paths } });
    expect(workflow.jobs.kind.permissions).toEqual({ contents: 'read' });
  });

  it('creates the cluster of clusters/kind/kind-config.yaml with a kind release that ships its node image', () => {
    const kind = step('helm/kind-action@');
    const config = parse(fs.readFileSync(path.join(REPO, 'clusters/kind/kind-config.yaml'), 'utf8'));
    expect(kind.with).toEqual({ version: 'v0.29.0', config: 'clusters/kind/kind-config.yaml', cluster_name: config.name, kubectl_version: 'v1.33.1', wait: '180s' });
    // kind v0.29.0 publishes kindest/node:v1.33.1; the kubectl matches the nodes
    expect(new Set(config.nodes.map((n: { image: string }) => n.image))).toEqual(new Set(['kindest/node:v1.33.1']));
    expect(step('The nodes run').run).toContain("test \"$expected\" = \"$actual\"");
  });

  it('installs the Flux release the CRD schemas are generated from', () => {
    expect(step('fluxcd/flux2/action@').with).toEqual({ version: '2.4.0' });
    expect(fs.readFileSync(path.join(REPO, 'tools/generate-crd-schemas.ts'), 'utf8')).toContain("pinnedBy: 'Flux v2.4.0 (flux install in clusters/k3s, clusters/kind)'");
    expect(step('Install Flux').run).toBe('flux check --pre\nflux install\nflux check\n');
  });

  it('waits for every unsuspended Kustomization, every HelmRelease and every Deployment, and prints what failed', () => {
    expect(step('Every Flux Kustomization Ready').run).toContain('kubectl -n flux-system wait "kustomization/$name" --for=condition=Ready --timeout=20m');
    expect(step('Every Flux Kustomization Ready').run).toContain('kubectl wait helmreleases.helm.toolkit.fluxcd.io --all --all-namespaces --for=condition=Ready');
    expect(step('Every Deployment Available').run).toContain('kubectl wait deployments --all --all-namespaces --for=condition=Available --timeout=15m');
    const failure = step('What failed');
    expect(failure.if).toBe('failure()');
    for (const command of ['flux logs --all-namespaces --level=error', 'kubectl get events --all-namespaces', 'describe pod', 'logs "$pod" --all-containers']) {
      expect(failure.run).toContain(command);
    }
  });

  it('syncs clusters/kind from the ref under test: the real kustomize applies the sync patches as Flux would', () => {
    const sync = step('Reconcile clusters/kind');
    expect(sync.env).toEqual({ REPO_URL: '${{ github.server_url }}/${{ github.repository }}.git', GIT_REF: '${{ github.ref }}', GIT_TOKEN: '${{ github.token }}' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-sync-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const applied = path.join(dir, 'applied.yaml');
    // stand-ins: kubectl apply -f - keeps what it is given; every other kubectl and flux call succeeds
    fs.writeFileSync(path.join(bin, 'kubectl'), `#!/bin/sh\nif [ "$1" = apply ]; then cat > ${applied}; fi\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'flux'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    execFileSync('bash', ['-e', '-c', sync.run!], {
      env: { PATH: `${bin}:${process.env.PATH}`, REPO_URL: 'https://github.com/gitops-fleet/gitops-fleet.git', GIT_REF: 'refs/pull/42/merge', GIT_TOKEN: 't' },
    });
    const [source, e2e] = parseAllDocuments(fs.readFileSync(applied, 'utf8')).map((d) => d.toJS());
    expect(source.spec).toEqual({ interval: '1m0s', url: 'https://github.com/gitops-fleet/gitops-fleet.git', ref: { name: 'refs/pull/42/merge' }, secretRef: { name: 'flux-system' } });
    expect(e2e.spec.path).toBe('./clusters/kind');

    // what kustomize-controller applies for the e2e Kustomization: clusters/kind with its patches
    const wrapper = path.join(dir, 'wrapper');
    fs.mkdirSync(wrapper);
    fs.writeFileSync(path.join(wrapper, 'kustomization.yaml'), JSON.stringify({ resources: [path.relative(wrapper, path.join(REPO, 'clusters/kind'))], patches: e2e.spec.patches }));
    const rendered = parseAllDocuments(execFileSync('kubectl', ['kustomize', wrapper], { encoding: 'utf8' })).map((d) => d.toJS());
    const repository = rendered.find((o) => o.kind === 'GitRepository' && o.metadata.name === 'flux-system');
    expect(repository.spec).toEqual({ interval: '1m0s', url: 'https://github.com/gitops-fleet/gitops-fleet.git', ref: { name: 'refs/pull/42/merge' }, secretRef: { name: 'flux-system' } });
    const kustomizations = rendered.filter((o) => o.kind === 'Kustomization').map((o) => [o.metadata.name, o.spec.suspend ?? false]);
    expect(kustomizations).toEqual(expect.arrayContaining([['flux-system', true], ['infra-controllers', false], ['infra-configs', false], ['apps', false]]));
    expect(kustomizations).toHaveLength(4);
  });
});
