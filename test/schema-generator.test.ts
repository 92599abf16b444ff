// The committed schemas are exactly what the generator makes from ../shared/kubernetes-openapi; its errors are clear.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './helpers/cli.ts';
import { QUANTITY, DURATION } from '../tools/lib/schema/formats.ts';

const TSX = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const OPENAPI = path.resolve(REPO_ROOT, '../shared/kubernetes-openapi/v1.33.13');
const hasGo = spawnSync('go', ['version']).status === 0;

function generate(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, path.join(REPO_ROOT, 'tools/generate-schemas.ts'), ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tools/generate-schemas.ts', () => {
  it.skipIf(!fs.existsSync(OPENAPI) || !hasGo)('regenerates schemas/kubernetes/v1.33.13.json byte for byte (needs ../shared and go)', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-schemas-'));
    const run = generate(OPENAPI, out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/v1\.33\.13\.json: 91 kinds, 612 definitions, 95 enums, \d+ KiB\n$/);
    expect(fs.readFileSync(path.join(out, 'v1.33.13.json'), 'utf8')).toBe(fs.readFileSync(path.join(REPO_ROOT, 'schemas/kubernetes/v1.33.13.json'), 'utf8'));
  });

  it('names a missing OpenAPI folder and exits 2', () => {
    const run = generate('/nonexistent/v1.99.0');
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('generate-schemas: /nonexistent/v1.99.0 not found; pass the folder of Kubernetes\' OpenAPI v3 documents (api/openapi-spec/v3 at a release tag)');
  });
});

describe('tools/generate-crd-schemas.ts', () => {
  it('names a missing mirror folder and exits 2', () => {
    const r = spawnSync(process.execPath, ['--import', TSX, path.join(REPO_ROOT, 'tools/generate-crd-schemas.ts'), '/nonexistent'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('generate-crd-schemas: pass the folder of bare clones (<owner>+<name>/repo), see the header of this file');
  });

  it('every committed CRD bundle names its repository, tag and paths', () => {
    const dir = path.join(REPO_ROOT, 'schemas/crds');
    const bundles = fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    expect(bundles.map((b) => `${b.name} ${b.source.repo} ${b.source.tag}`).sort()).toEqual([
      'argo-cd https://github.com/argoproj/argo-cd v2.13.3',
      'cert-manager https://github.com/cert-manager/cert-manager v1.16.2',
      'external-secrets https://github.com/external-secrets/external-secrets v0.12.1',
      'flux-helm-controller https://github.com/fluxcd/helm-controller v1.1.0',
      'flux-kustomize-controller https://github.com/fluxcd/kustomize-controller v1.4.0',
      'flux-notification-controller https://github.com/fluxcd/notification-controller v1.4.0',
      'flux-source-controller https://github.com/fluxcd/source-controller v1.4.1',
      'prometheus-operator-crds https://github.com/prometheus-community/helm-charts prometheus-operator-crds-17.0.2',
    ]);
    for (const b of bundles) expect(b.source.paths.length, b.name).toBeGreaterThan(0);
  });
});

describe('formats', () => {
  it('quantity is resource.Quantity\'s grammar', () => {
    for (const ok of ['500m', '128Mi', '2', '0.5', '1.5Gi', '1e3', '+1', '.5', '10k']) expect(QUANTITY.test(ok), ok).toBe(true);
    for (const bad of ['1.5GB', 'Gi', '1 Gi', '-', '10kb', '']) expect(QUANTITY.test(bad), bad).toBe(false);
  });
  it('duration is kube-openapi\'s strfmt duration', () => {
    for (const ok of ['1h30m', '10s', '2d', '500ms', '1m0s', '3 hours']) expect(DURATION.test(ok), ok).toBe(true);
    for (const bad of ['soon', '10', 'h', '']) expect(DURATION.test(bad), bad).toBe(false);
  });
});
