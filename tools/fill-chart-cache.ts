#!/usr/bin/env -S npx tsx
// Fills the chart cache from the upstream charts' git repositories at the versions this repository pins, for machines
// that cannot reach the chart repositories. Each chart is built the way its project's release tooling builds it, then
// `helm package`d into the cache layout tools/lib/helm/chart-cache.ts reads. Nothing of the charts is written into this
// repository.
//
//   npx tsx tools/fill-chart-cache.ts [--chart-cache DIR] [--mirrors DIR] [--git owner/name=GIT_DIR ...]
//
// A git directory comes from --git, else --mirrors DIR/<owner>+<name>/repo (or DIR/<owner>+<name>.git), else a bare
// clone from https://github.com/<owner>/<name> (needs the network).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments, parse, stringify } from 'yaml';
import { cachedChartFile, chartCacheDir, type ChartRef } from './lib/helm/chart-cache.ts';
import { findHelm } from './lib/helm/helm-binary.ts';

interface Recipe {
  /** The chart name as the chart repository serves it. */
  chart: string;
  /** GitHub owner/name holding the chart's source. */
  repository: string;
  tag: (version: string) => string;
  chartPath: string;
  /** Turns the checked-out source into the chart as released (in place, inside `work`). */
  build?: (work: string, version: string, git: GitSource) => void;
  /** `helm package` flags, where the release tooling sets them. */
  packageArgs?: (version: string) => string[];
}

interface GitSource {
  gitDir: string;
  tag: string;
  /** Extracts `folder` at the tag into `into` (keeping the folder's path). */
  extract(folder: string, into: string): void;
}

const RECIPES: Recipe[] = [
  {
    chart: 'cert-manager',
    repository: 'cert-manager/cert-manager',
    tag: (v) => (v.startsWith('v') ? v : `v${v}`),
    chartPath: 'deploy/charts/cert-manager',
    // make/manifests.mk: Chart.yaml from Chart.template.yaml with the version; templates/crds.yaml = deploy/crds/*.yaml concatenated
    build(work, version, git) {
      const chart = path.join(work, 'deploy/charts/cert-manager');
      git.extract('deploy/crds', work);
      const template = parse(fs.readFileSync(path.join(chart, 'Chart.template.yaml'), 'utf8'));
      template.version = version;
      template.appVersion = version;
      template.annotations['artifacthub.io/prerelease'] = String(version.includes('-'));
      template.annotations['artifacthub.io/signKey'] = fs.readFileSync(path.join(chart, 'signkey_annotation.txt'), 'utf8');
      fs.writeFileSync(path.join(chart, 'Chart.yaml'), stringify(template));
      const crds = fs.readdirSync(path.join(work, 'deploy/crds')).filter((f) => f.endsWith('.yaml')).sort();
      fs.writeFileSync(path.join(chart, 'templates/crds.yaml'), crds.map((f) => fs.readFileSync(path.join(work, 'deploy/crds', f), 'utf8')).join('\n---\n'));
    },
  },
  {
    chart: 'external-secrets',
    repository: 'external-secrets/external-secrets',
    tag: (v) => `helm-chart-${v}`,
    chartPath: 'deploy/charts/external-secrets',
    // hack/helm.generate.sh: deploy/crds/bundle.yaml split into templates/crds/<singular>.yaml with the chart's switches;
    // the bitwarden-sdk-server dependency (disabled by default) is packaged from its own repository, as its release does
    build(work, version, git) {
      const chart = path.join(work, 'deploy/charts/external-secrets');
      git.extract('deploy/crds', work);
      const bundle = fs.readFileSync(path.join(work, 'deploy/crds/bundle.yaml'), 'utf8');
      fs.mkdirSync(path.join(chart, 'templates/crds'), { recursive: true });
      for (const doc of parseAllDocuments(bundle)) {
        const crd = doc.toJS() as any;
        if (!crd?.spec?.names) continue;
        const kind: string = crd.spec.names.kind;
        const flag = `create${kind}`;
        const guard = kind.includes('Cluster') || kind.includes('PushSecret') ? `{{- if and (.Values.installCRDs) (.Values.crds.${flag}) }}` : '{{- if .Values.installCRDs }}';
        let text = doc.toString({ lineWidth: 0 }).replace(/^---\n/, '');
        text = text.replace(/name: kubernetes/g, 'name: {{ include "external-secrets.fullname" . }}-webhook');
        text = text.replace(/namespace: default/g, 'namespace: {{ .Release.Namespace | quote }}');
        const lines = text.split('\n');
        const first = lines.findIndex((l) => l.includes('annotations'));
        if (first >= 0) {
          lines.splice(first + 1, 0,
            '    {{- with .Values.crds.annotations }}', '    {{- toYaml . | nindent 4}}', '    {{- end }}',
            '    {{- if and .Values.crds.conversion.enabled .Values.webhook.certManager.enabled .Values.webhook.certManager.addInjectorAnnotations }}',
            '    cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "external-secrets.fullname" . }}-webhook', '    {{- end }}');
        }
        const out: string[] = [guard];
        for (const line of lines) {
          if (line.includes('  conversion:')) out.push('{{- if .Values.crds.conversion.enabled }}');
          out.push(line);
        }
        out.push('{{- end }}', '{{- end }}');
        fs.writeFileSync(path.join(chart, 'templates/crds', `${crd.spec.names.singular}.yaml`), out.join('\n') + '\n');
      }
      const lock = parse(fs.readFileSync(path.join(chart, 'Chart.lock'), 'utf8'));
      fs.mkdirSync(path.join(chart, 'charts'), { recursive: true });
      for (const dependency of lock.dependencies ?? []) {
        if (dependency.name !== 'bitwarden-sdk-server') throw new Error(`external-secrets ${version}: unexpected dependency ${dependency.name}`);
        const sub = sourceFor('external-secrets/bitwarden-sdk-server', dependency.version);
        const subWork = fs.mkdtempSync(path.join(os.tmpdir(), 'fill-chart-sub-'));
        sub.extract('deploy/charts/bitwarden-sdk-server', subWork);
        helm(['package', path.join(subWork, 'deploy/charts/bitwarden-sdk-server'), '--version', dependency.version, '--app-version', dependency.version, '--destination', path.join(chart, 'charts')]);
        fs.rmSync(subWork, { recursive: true, force: true });
      }
    },
  },
  { chart: 'ingress-nginx', repository: 'kubernetes/ingress-nginx', tag: (v) => `helm-chart-${v}`, chartPath: 'charts/ingress-nginx' },
  { chart: 'prometheus-operator-crds', repository: 'prometheus-community/helm-charts', tag: (v) => `prometheus-operator-crds-${v}`, chartPath: 'charts/prometheus-operator-crds' },
];

const cli = parseArgs({
  options: { 'chart-cache': { type: 'string' }, mirrors: { type: 'string' }, git: { type: 'string', multiple: true }, root: { type: 'string' } },
}).values;
const root = path.resolve(cli.root ?? '.');
const cacheDir = chartCacheDir(cli['chart-cache']);
const gitDirs = new Map((cli.git ?? []).map((spec) => spec.split('=', 2) as [string, string]));
let helmCommand = 'helm';

function helm(args: string[]): string {
  return execFileSync(helmCommand, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function gitDirFor(repository: string): string {
  const explicit = gitDirs.get(repository);
  if (explicit) return explicit;
  const flat = repository.replace('/', '+');
  for (const candidate of cli.mirrors ? [path.join(cli.mirrors, flat, 'repo'), path.join(cli.mirrors, `${flat}.git`)] : []) {
    if (fs.existsSync(candidate)) return candidate;
  }
  const clone = path.join(cacheDir, '.sources', `${flat}.git`);
  if (!fs.existsSync(clone)) execFileSync('git', ['clone', '--bare', '--filter=blob:none', `https://github.com/${repository}`, clone], { stdio: 'inherit' });
  return clone;
}

function sourceFor(repository: string, tag: string): GitSource {
  const gitDir = gitDirFor(repository);
  return {
    gitDir,
    tag,
    extract(folder, into) {
      const tar = execFileSync('git', ['--git-dir', gitDir, 'archive', '--format=tar', tag, folder], { maxBuffer: 1024 * 1024 * 1024 });
      execFileSync('tar', ['-x', '-C', into], { input: tar });
    },
  };
}

/** The charts this repository pins: HelmReleases (with their HelmRepository) and Argo CD Helm sources under infrastructure/ and clusters/. */
function pinnedCharts(): ChartRef[] {
  const docs: any[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) for (const doc of parseAllDocuments(fs.readFileSync(full, 'utf8'))) docs.push(doc.toJS());
    }
  };
  ['infrastructure', 'clusters', 'apps'].forEach((d) => walk(path.join(root, d)));
  const refs = new Map<string, ChartRef>();
  const add = (ref: ChartRef) => refs.set(`${ref.repoUrl}|${ref.chart}|${ref.version}`, ref);
  for (const doc of docs) {
    if (doc?.kind === 'HelmRelease' && doc.spec?.chart?.spec?.sourceRef?.kind === 'HelmRepository') {
      const s = doc.spec.chart.spec;
      const repo = docs.find((d) => d?.kind === 'HelmRepository' && d.metadata?.name === s.sourceRef.name);
      if (repo?.spec?.url && s.version) add({ repoUrl: repo.spec.url, chart: s.chart, version: String(s.version) });
    }
    if (doc?.kind === 'Application') {
      for (const source of [doc.spec?.source, ...(doc.spec?.sources ?? [])]) {
        if (source?.chart && source.targetRevision) add({ repoUrl: source.repoURL, chart: source.chart, version: String(source.targetRevision) });
      }
    }
  }
  return [...refs.values()];
}

async function main(): Promise<number> {
  const found = await findHelm();
  if (!found.found) {
    process.stderr.write(`fill-chart-cache: ${found.reason}\n`);
    return 2;
  }
  helmCommand = found.helm.command;
  let failures = 0;
  for (const ref of pinnedCharts()) {
    const target = cachedChartFile(cacheDir, ref);
    const recipe = RECIPES.find((r) => r.chart === ref.chart);
    if (fs.existsSync(target)) {
      console.log(`cached   ${ref.chart} ${ref.version} (${target})`);
      continue;
    }
    if (!recipe) {
      console.log(`no recipe for ${ref.chart} ${ref.version} from ${ref.repoUrl}; pull it online once (npx tsx tools/check.ts fills the cache)`);
      failures++;
      continue;
    }
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fill-chart-'));
    try {
      const source = sourceFor(recipe.repository, recipe.tag(ref.version));
      source.extract(recipe.chartPath, work);
      recipe.build?.(work, ref.version, source);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const packaged = helm(['package', path.join(work, recipe.chartPath), '--destination', path.dirname(target), ...(recipe.packageArgs?.(ref.version) ?? [])]).trim();
      if (!fs.existsSync(target)) throw new Error(`helm package wrote something else than ${target}: ${packaged}`);
      console.log(`packaged ${ref.chart} ${ref.version} from ${recipe.repository}@${source.tag} -> ${target}`);
    } catch (error) {
      failures++;
      console.log(`failed   ${ref.chart} ${ref.version}: ${((error as any).stderr?.toString() || (error as Error).message).trim().split('\n')[0]}`);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return failures > 0 ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
});
