// Issue 20: a render failure a user can read: the cause first, in repository paths (never the
// temporary folder), at the line of the kustomization that names the missing or remote
// resource, and inside the 600 characters the PR comment keeps. A Helm chart folder given as
// PATH is recognised and says how charts are checked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { renderComment } from '../tools/lib/report/comment.ts';
import { clip, escapeInline } from '../tools/lib/report/escape.ts';
import { explainResourceFailure, withRepositoryPaths } from '../tools/lib/render/render-error.ts';

const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
`;
const FLUX_SYNC = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: prod
  namespace: flux-system
spec:
  interval: 10m
  path: ./overlays/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-errors-'));
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function renderFailure(dir: string, args: string[]) {
  const run = runCli([...args, '--rule', 'images/pinned-tag', '--format', 'json'], dir);
  expect(run.code, run.stderr).toBe(1);
  const report = JSON.parse(run.stdout);
  const failures = report.findings.filter((f: any) => f.rule === 'render/failed');
  expect(failures).toHaveLength(1);
  return { report, finding: failures[0] };
}

/** Neither the wrapper's temporary folder nor a path relative to it may reach the user. */
function expectRepositoryPathsOnly(message: string) {
  expect(message).not.toContain(os.tmpdir());
  expect(message).not.toMatch(/policy-check-\w+/);
  expect(message).not.toMatch(/'\.\.\/render-errors-/);
  expect(message).not.toContain('must resolve to a file');
}

describe('a missing resource', () => {
  it('in a base two levels down: at the naming line of that base, cause first, repository paths', () => {
    const dir = repo({
      'clusters/prod/sync.yaml': FLUX_SYNC,
      'overlays/prod/kustomization.yaml': `${KUSTOMIZATION}namespace: shop\nresources:\n  - ../../apps/shop\n`,
      'apps/shop/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - deployment.yaml\n  - service.yaml\n`,
      'apps/shop/deployment.yaml': DEPLOYMENT,
    });
    const { finding } = renderFailure(dir, []);
    expect(finding.location).toEqual({ file: 'apps/shop/kustomization.yaml', line: 5, column: 5 });
    expect(finding.message.startsWith(
      'Kustomization flux-system/prod: kubectl kustomize failed: apps/shop/kustomization.yaml:5: resources entry service.yaml does not exist (apps/shop/service.yaml); kustomize said: ',
    )).toBe(true);
    expectRepositoryPathsOnly(finding.message);
  });

  it('a missing folder named by the overlay given as PATH', () => {
    const dir = repo({
      'overlays/prod/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - ../../apps/web\n  - ../../apps/gone\n`,
      'apps/web/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - deployment.yaml\n`,
      'apps/web/deployment.yaml': DEPLOYMENT,
    });
    const { finding } = renderFailure(dir, ['overlays/prod']);
    expect(finding.location).toEqual({ file: 'overlays/prod/kustomization.yaml', line: 5, column: 5 });
    expect(finding.message).toMatch(/^overlays\/prod: kubectl kustomize failed: overlays\/prod\/kustomization\.yaml:5: resources entry \.\.\/\.\.\/apps\/gone does not exist \(apps\/gone\); kustomize said: /);
    expectRepositoryPathsOnly(finding.message);
  });

  it('a folder without a kustomization, named under components:', () => {
    const dir = repo({
      'overlays/prod/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - ../../apps/web\ncomponents:\n  - ../../components/empty\n`,
      'apps/web/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - deployment.yaml\n`,
      'apps/web/deployment.yaml': DEPLOYMENT,
      'components/empty/README.md': 'nothing\n',
    });
    const { finding } = renderFailure(dir, ['overlays/prod']);
    expect(finding.location).toEqual({ file: 'overlays/prod/kustomization.yaml', line: 6, column: 5 });
    expect(finding.message).toContain('overlays/prod/kustomization.yaml:6: components entry ../../components/empty is a folder without a kustomization.yaml (components/empty); kustomize said: ');
  });
});

describe('a remote resource that cannot be fetched', () => {
  it('names the host and sits at its line, inside the 600 characters the PR comment keeps', () => {
    const dir = repo({
      'overlays/prod/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - ../../apps/web\n  - https://git.example.invalid/fleet/base//apps/x?ref=v1\n`,
      'apps/web/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - deployment.yaml\n`,
      'apps/web/deployment.yaml': DEPLOYMENT,
    });
    const { report, finding } = renderFailure(dir, ['overlays/prod']);
    expect(finding.location).toEqual({ file: 'overlays/prod/kustomization.yaml', line: 5, column: 5 });
    const cause =
      'overlays/prod/kustomization.yaml:5: remote resources entry https://git.example.invalid/fleet/base//apps/x?ref=v1 cannot be fetched: host git.example.invalid could not be resolved (no network, or a wrong URL)';
    expect(finding.message).toContain(cause);
    expect(clip(finding.message, 600)).toContain(cause);
    expectRepositoryPathsOnly(finding.message);
    const { body } = renderComment(report, { repositoryUrl: 'https://github.com/acme/fleet', headSha: 'a'.repeat(40) });
    expect(body).toContain(escapeInline(cause, 600));
  });
});

describe('render-error (unit)', () => {
  it('replaces the wrapper entry by its repository path and drops the wrapper\'s file attempt', () => {
    const message =
      "accumulating resources: accumulation err='accumulating resources from '../repo/overlays/x': '../repo/overlays/x' must resolve to a file': recursed accumulation of path '/r/repo/overlays/x': boom";
    expect(withRepositoryPaths(message, ['../repo/overlays/x'], '/r/policy-check-1', '/r/repo')).toBe(
      "accumulating resources: accumulation err='accumulating resources from 'overlays/x': 'overlays/x' must resolve to a file': recursed accumulation of path '/r/repo/overlays/x': boom",
    );
    const root = repo({ 'k/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - a.yaml\n` });
    fs.writeFileSync(path.join(root, 'k/a.yaml'), 'kind: ConfigMap\n');
    // a resource that exists is not explained as missing
    expect(explainResourceFailure("accumulating resources from 'a.yaml': something else", root, path.join(root, 'k'))).toBeUndefined();
    expect(explainResourceFailure('no accumulation at all', root, path.join(root, 'k'))).toBeUndefined();
  });
});

describe('a Helm chart folder given as PATH', () => {
  const chart = {
    'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
    'charts/shop/values.yaml': 'x: {}\n',
    'charts/shop/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n{{- with .Values.x }}\ndata:\n  {{- toYaml . | nindent 2 }}\n{{- end }}\n',
  };

  it('alone: one line saying how charts are checked, exit 2 (nothing was checked), no YAML errors', () => {
    const run = runCli(['charts/shop'], repo(chart));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "policy-check: nothing was checked: skipped charts/shop: it is a Helm chart (Chart.yaml); a chart is checked as rendered by the Flux HelmRelease or Argo CD Application that installs it, with that release's values: check clusters/<name>/, or the folder that holds the HelmRelease or Application; pass --allow-empty if an empty run is what you mean\n",
    );
  });

  it('next to other paths: a skipped line at Chart.yaml, and the other path is still checked', () => {
    const dir = repo({ ...chart, 'apps/web/deployment.yaml': DEPLOYMENT.replace('nginx:1.27.0', 'nginx') });
    const run = runCli(['charts/shop', 'apps/web', '--rule', 'images/pinned-tag'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "cluster charts/shop (path; 1 entry point, 0 objects)\n  skipped charts/shop: it is a Helm chart (Chart.yaml); a chart is checked as rendered by the Flux HelmRelease or Argo CD Application that installs it, with that release's values: check clusters/<name>/, or the folder that holds the HelmRelease or Application (charts/shop/Chart.yaml:1)\n",
    );
    expect(run.stdout).not.toContain('render/failed');
    expect(run.stdout).toContain('images/pinned-tag');
  });
});
