// renovate.json: which files each manager reads and what it finds there, asserted on this repository's real files;
// Renovate's own validator; and, where Renovate is installed (never by package.json: it is huge), Renovate's own
// extraction (--platform=local --dry-run=extract) over a clone of this repository.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.ts';

interface CustomManager {
  customType: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  datasourceTemplate: string;
}
interface RenovateConfig {
  extends: string[];
  kubernetes: { managerFilePatterns: string[] };
  flux: { managerFilePatterns: string[] };
  argocd: { managerFilePatterns: string[] };
  customManagers: CustomManager[];
  packageRules: { matchDatasources?: string[]; matchPackageNames?: string[]; matchManagers?: string[]; matchDepNames?: string[]; enabled?: boolean }[];
}

const CONFIG_FILE = path.join(REPO_ROOT, 'renovate.json');
const config = JSON.parse(fs.readFileSync(CONFIG_FILE, 'utf8')) as RenovateConfig;

/** Renovate writes a file pattern as "/regex/"; anything else is a glob, which this config does not use. */
function patternOf(text: string): RegExp {
  const match = /^\/(.+)\/([a-z]*)$/.exec(text);
  if (!match) throw new Error(`not a /regex/ pattern: ${text}`);
  return new RegExp(match[1], match[2]);
}
const matcher = (patterns: string[]) => (file: string) => patterns.map(patternOf).some((re) => re.test(file));

/** The files Renovate sees: git's tracked files, minus what config:recommended ignores (node_modules, test folders). */
const tracked = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && fs.existsSync(path.join(REPO_ROOT, f)) && !/(^|\/)(node_modules|test|tests|__tests__|fixtures)\//.test(f));
const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
const yamlFiles = tracked.filter((f) => /\.ya?ml$/.test(f));
const docsOf = (file: string) => parseAllDocuments(read(file)).map((d) => d.toJS() as Record<string, any> | null).filter((d): d is Record<string, any> => !!d);

/** Every line that pins the helm that Go builds (go install helm.sh/helm/v3/cmd/helm@v3.22.0), in order. */
function helmInstallLines(): { file: string; line: string }[] {
  return tracked.flatMap((file) =>
    read(file)
      .split('\n')
      .filter((l) => /go install helm\.sh\/helm\/v\d+\/cmd\/helm@v\d/.test(l))
      .map((line) => ({ file, line })),
  );
}

/** Every pod image of a tracked manifest, as a kubernetes manifest writes it (image: name:tag). */
function imageLines(file: string): string[] {
  return [...read(file).matchAll(/^\s*-?\s*image:\s*["']?([^\s"'#]+)["']?\s*$/gm)].map((m) => m[1]);
}

describe('renovate.json against the repository', () => {
  it('extends the recommended preset and pins GitHub Action digests', () => {
    expect(config.extends).toEqual(['config:recommended', 'helpers:pinGitHubActionDigests']);
  });

  it('the kubernetes manager reads every file that names an image, so every image tag is kept current', () => {
    const withImages = yamlFiles.filter((f) => imageLines(f).length > 0);
    expect(withImages.length).toBeGreaterThanOrEqual(20);
    const reads = matcher(config.kubernetes.managerFilePatterns);
    expect(withImages.filter((f) => !reads(f))).toEqual([]);
    const images = new Set(withImages.flatMap(imageLines));
    expect(images).toContain('redis:7.4.2-alpine');
    expect(images).toContain('ghcr.io/gitops-fleet/hodei-server:0.3.1');
    for (const image of images) expect(image, 'an image Renovate can update carries a tag').toMatch(/:[\w.-]+$/);
  });

  it('the flux manager reads every HelmRelease and HelmRepository; the argocd manager every Application with a chart', () => {
    const kinds = (file: string) => docsOf(file).map((d) => `${String(d.apiVersion).split('/')[0]}/${d.kind}`);
    const fluxFiles = yamlFiles.filter((f) => kinds(f).some((k) => k === 'helm.toolkit.fluxcd.io/HelmRelease' || k === 'source.toolkit.fluxcd.io/HelmRepository'));
    const argoCharts = yamlFiles.filter((f) => docsOf(f).some((d) => d.kind === 'Application' && d.spec?.source?.chart));
    expect(fluxFiles).toHaveLength(8);
    expect(argoCharts).toHaveLength(4);
    expect(fluxFiles.filter((f) => !matcher(config.flux.managerFilePatterns)(f))).toEqual([]);
    expect(argoCharts.filter((f) => !matcher(config.argocd.managerFilePatterns)(f))).toEqual([]);
  });

  it('each chart pinned by Flux and by Argo CD has one version: the same dependency name moves both in one pull request', () => {
    const flux = new Map<string, string>();
    const argo = new Map<string, string>();
    for (const file of yamlFiles) {
      for (const d of docsOf(file)) {
        if (d.kind === 'HelmRelease' && d.spec?.chart?.spec?.version) flux.set(d.spec.chart.spec.chart, d.spec.chart.spec.version);
        if (d.kind === 'Application' && d.spec?.source?.chart) argo.set(d.spec.source.chart, d.spec.source.targetRevision);
      }
    }
    expect([...flux.keys()].sort()).toEqual(['cert-manager', 'external-secrets', 'ingress-nginx', 'prometheus-operator-crds']);
    expect(Object.fromEntries(argo)).toEqual(Object.fromEntries(flux));
  });

  it("the helm regex manager's matchStrings match every `go install helm` line, in files its patterns read, with one version", () => {
    const [helm] = config.customManagers;
    expect(helm).toMatchObject({ customType: 'regex', datasourceTemplate: 'go' });
    const reads = matcher(helm.managerFilePatterns);
    const lines = helmInstallLines();
    expect(new Set(lines.map((l) => l.file))).toEqual(new Set(['.ci/run', '.github/workflows/ci.yml', '.github/workflows/policy-sharded.yml', '.github/workflows/policy.yml', 'README.md', 'tools/lib/helm/helm-binary.ts']));
    const versions = new Set<string>();
    for (const { file, line } of lines) {
      expect(reads(file), file).toBe(true);
      const match = helm.matchStrings.map((s) => new RegExp(s).exec(line)).find(Boolean);
      expect(match?.groups, `${file}: ${line}`).toMatchObject({ depName: 'helm.sh/helm/v3' });
      versions.add(match!.groups!.currentValue);
    }
    expect([...versions]).toEqual(['v3.22.0']);
  });

  it('every action of the workflows and of action.yml is pinned by digest with its version comment, as the preset keeps it', () => {
    const files = tracked.filter((f) => /^\.github\/workflows\/.+\.ya?ml$/.test(f) || f === 'action.yml');
    const uses = files.flatMap((f) => read(f).split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l)));
    expect(uses.length).toBeGreaterThanOrEqual(14);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/);
  });

  it('rules that switch updates off each name something this repository has', () => {
    const images = new Set(yamlFiles.flatMap(imageLines).map((i) => i.replace(/:[^:/]+$/, '')));
    const argoSources = new Set(yamlFiles.flatMap(docsOf).filter((d) => d.kind === 'Application').map((d) => d.spec?.source?.repoURL));
    for (const rule of config.packageRules.filter((r) => r.enabled === false)) {
      for (const name of rule.matchPackageNames ?? []) expect(images.has(name) || argoSources.has(name), name).toBe(true);
    }
  });
});

/** What Renovate's extraction logs per dependency (the fields asserted here). */
interface ExtractedDep {
  depName: string;
  currentValue?: string;
  currentDigest?: string;
  datasource?: string;
  registryUrls?: string[];
}

/** renovate and renovate-config-validator: on PATH, else under POLICY_CHECK_RENOVATE_PREFIX or ~/.cache/policy-check/renovate (npm install --prefix DIR renovate). */
function renovateBin(name: string): string | undefined {
  const prefixes = [process.env.POLICY_CHECK_RENOVATE_PREFIX, path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'policy-check/renovate')].filter(
    (p): p is string => !!p,
  );
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...prefixes.map((p) => path.join(p, 'node_modules/.bin'))];
  return dirs.map((d) => path.join(d, name)).find((f) => fs.existsSync(f));
}
const SKIP = 'Renovate is not installed (npm install --prefix ~/.cache/policy-check/renovate renovate, or set POLICY_CHECK_RENOVATE_PREFIX): ';

describe("Renovate's own tools", () => {
  it('renovate-config-validator --strict accepts renovate.json and refuses a broken copy', (context) => {
    const validator = renovateBin('renovate-config-validator');
    if (!validator) return context.skip(`${SKIP}the config validator did not run`);
    const ok = spawnSync(validator, ['--strict', '--no-global', CONFIG_FILE], { encoding: 'utf8', timeout: 120_000 });
    expect(ok.stdout).toContain('Config validated successfully against 1 file(s)');
    expect(ok.status).toBe(0);
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'renovate-')), 'renovate.json');
    fs.writeFileSync(broken, JSON.stringify({ ...config, kubernetes: { fileMatchh: ['x'] } }));
    const bad = spawnSync(validator, ['--strict', '--no-global', broken], { encoding: 'utf8', timeout: 120_000 });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('fileMatchh');
  }, 150_000);

  it('renovate --platform=local --dry-run=extract finds the images, both sides of every chart, helm and the actions', (context) => {
    const renovate = renovateBin('renovate');
    if (!renovate) return context.skip(`${SKIP}the extraction did not run`);
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'renovate-clone-'));
    execFileSync('git', ['clone', '-q', REPO_ROOT, clone]);
    // the working tree's renovate.json and action.yml, committed in the clone, since Renovate reads committed files
    for (const file of ['renovate.json', 'action.yml']) fs.copyFileSync(path.join(REPO_ROOT, file), path.join(clone, file));
    execFileSync('git', ['add', 'renovate.json', 'action.yml'], { cwd: clone });
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'config'], { cwd: clone });
    const entry = path.join(fs.realpathSync(renovate), '..');
    const script = fs.existsSync(path.join(entry, 'renovate.js')) ? path.join(entry, 'renovate.js') : fs.realpathSync(renovate);
    const preload = Number(process.versions.node.split('.')[0]) < 24 ? ['--import', path.join(REPO_ROOT, 'test/helpers/renovate-node20.mjs')] : [];
    const run = spawnSync(process.execPath, [...preload, script, '--platform=local', '--dry-run=extract', '--onboarding=false', '--require-config=optional'], {
      cwd: clone,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'debug', LOG_FORMAT: 'json' },
      timeout: 240_000,
    });
    const records = run.stdout.split('\n').flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
    const extracted = records.find((r) => r.msg === 'Extracted dependencies')?.packageFiles as Record<string, { packageFile: string; deps: ExtractedDep[] }[]>;
    expect(extracted, run.stderr.slice(0, 2000)).toBeDefined();
    const deps = (manager: string): (ExtractedDep & { file: string })[] => (extracted[manager] ?? []).flatMap((f) => f.deps.map((d) => ({ file: f.packageFile, ...d })));
    const charts = (manager: string) => Object.fromEntries(deps(manager).filter((d) => d.datasource === 'helm').map((d) => [d.depName, d.currentValue]));
    const expectedCharts = { 'cert-manager': 'v1.16.2', 'external-secrets': '0.12.1', 'ingress-nginx': '4.11.3', 'prometheus-operator-crds': '17.0.2' };
    expect(charts('flux')).toEqual(expectedCharts);
    expect(charts('argocd')).toEqual(expectedCharts);
    expect(deps('flux').filter((d) => d.datasource === 'helm').every((d) => d.registryUrls?.length === 1)).toBe(true);
    const images = new Set(deps('kubernetes').filter((d) => d.datasource === 'docker').map((d) => `${d.depName}:${d.currentValue}`));
    expect(images).toEqual(new Set(yamlFiles.flatMap(imageLines)));
    expect(deps('regex').map((d) => [d.file, d.depName, d.currentValue, d.datasource])).toEqual(
      helmInstallLines().map(({ file }) => [file, 'helm.sh/helm/v3', 'v3.22.0', 'go']),
    );
    const actions = deps('github-actions').filter((d) => d.currentDigest);
    expect(actions.length).toBeGreaterThanOrEqual(14);
    expect(new Set(actions.map((d) => d.file))).toContain('action.yml');
    // nothing under test/ (fixtures with their own kustomizations and images) is updated
    expect(Object.values(extracted).flat().filter((f) => f.packageFile.startsWith('test/'))).toEqual([]);
  }, 300_000);
});
