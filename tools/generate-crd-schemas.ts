// npm run generate:crd-schemas -- MIRROR : the CRD schemas of the charts this repository pins -> schemas/crds/<name>.json,
// each with its provenance (repository, tag, paths). MIRROR holds bare clones named <owner>+<name>/repo, e.g.
//   git clone --bare https://github.com/cert-manager/cert-manager MIRROR/cert-manager+cert-manager/repo
// Bump a tag below together with the version in infrastructure/ (or the Flux/Argo CD install in clusters/), then rerun.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import type { CrdBundle } from './lib/schema/crd-catalog.ts';

const root = path.resolve(import.meta.dirname, '..');

interface Source {
  name: string;
  repo: string;
  tag: string;
  /** Files, or folders whose *.yaml files are all read. */
  paths: string[];
  /** Why this tag: where the repository pins it. */
  pinnedBy: string;
}

export const SOURCES: Source[] = [
  { name: 'flux-source-controller', repo: 'fluxcd/source-controller', tag: 'v1.4.1', paths: ['config/crd/bases'], pinnedBy: 'Flux v2.4.0 (flux install in clusters/k3s, clusters/kind)' },
  { name: 'flux-kustomize-controller', repo: 'fluxcd/kustomize-controller', tag: 'v1.4.0', paths: ['config/crd/bases'], pinnedBy: 'Flux v2.4.0' },
  { name: 'flux-helm-controller', repo: 'fluxcd/helm-controller', tag: 'v1.1.0', paths: ['config/crd/bases'], pinnedBy: 'Flux v2.4.0' },
  { name: 'flux-notification-controller', repo: 'fluxcd/notification-controller', tag: 'v1.4.0', paths: ['config/crd/bases'], pinnedBy: 'Flux v2.4.0' },
  { name: 'argo-cd', repo: 'argoproj/argo-cd', tag: 'v2.13.3', paths: ['manifests/crds/application-crd.yaml', 'manifests/crds/applicationset-crd.yaml', 'manifests/crds/appproject-crd.yaml'], pinnedBy: 'clusters/staging/README.md, clusters/production/README.md' },
  { name: 'cert-manager', repo: 'cert-manager/cert-manager', tag: 'v1.16.2', paths: ['deploy/crds'], pinnedBy: 'infrastructure/controllers/cert-manager/release.yaml, infrastructure/argocd/cert-manager.yaml' },
  { name: 'external-secrets', repo: 'external-secrets/external-secrets', tag: 'v0.12.1', paths: ['deploy/crds/bundle.yaml'], pinnedBy: 'infrastructure/controllers/external-secrets/release.yaml (chart 0.12.1)' },
  { name: 'prometheus-operator-crds', repo: 'prometheus-community/helm-charts', tag: 'prometheus-operator-crds-17.0.2', paths: ['charts/prometheus-operator-crds/charts/crds/templates'], pinnedBy: 'infrastructure/controllers/prometheus-operator-crds/release.yaml (operator v0.79.2)' },
];

function git(gitDir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** Chart templates wrap the CRDs in Helm directives; the CRD bodies are plain YAML once the directive lines are gone. */
function withoutHelmDirectives(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
    .map((line) => line.replace(/\{\{[^}]*\}\}/g, 'x'))
    .join('\n');
}

/** Drops what validation never reads: descriptions (schema text, not a property named "description") and CEL rules. */
function strip(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strip);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if ((key === 'description' && typeof value === 'string') || key === 'x-kubernetes-validations' || key === 'example') continue;
    out[key] = key === 'enum' || key === 'default' || key === 'required' ? value : strip(value);
  }
  return out;
}

function filesOf(gitDir: string, tag: string, entry: string): string[] {
  const listed = git(gitDir, 'ls-tree', '-r', '--name-only', tag, '--', entry).split('\n').filter(Boolean);
  return listed.filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('kustomization.yaml'));
}

function main() {
  const mirror = process.argv[2];
  if (!mirror || !fs.existsSync(mirror)) {
    console.error('generate-crd-schemas: pass the folder of bare clones (<owner>+<name>/repo), see the header of this file');
    process.exit(2);
  }
  const outDir = path.join(root, 'schemas/crds');
  fs.mkdirSync(outDir, { recursive: true });
  for (const source of SOURCES) {
    const gitDir = path.join(mirror, source.repo.replace('/', '+'), 'repo');
    const files = source.paths.flatMap((entry) => filesOf(gitDir, source.tag, entry)).sort();
    const bundle: CrdBundle = {
      name: source.name,
      source: { repo: `https://github.com/${source.repo}`, tag: source.tag, paths: files, generator: `tools/generate-crd-schemas.ts (pinned by ${source.pinnedBy})` },
      crds: [],
    };
    for (const file of files) {
      for (const doc of parseAllDocuments(withoutHelmDirectives(git(gitDir, 'show', `${source.tag}:${file}`)))) {
        const crd = doc.toJS() as any;
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        bundle.crds.push({
          group: crd.spec.group,
          kind: crd.spec.names.kind,
          scope: crd.spec.scope,
          versions: crd.spec.versions.map((v: any) => ({ name: v.name, served: v.served === true, schema: strip(v.schema?.openAPIV3Schema ?? null) })),
        });
      }
    }
    bundle.crds.sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`));
    const out = path.join(outDir, `${source.name}.json`);
    fs.writeFileSync(out, JSON.stringify(bundle) + '\n');
    console.log(`${path.relative(root, out)}: ${bundle.crds.length} CRDs from ${source.repo} ${source.tag}, ${(fs.statSync(out).size / 1024).toFixed(0)} KiB`);
  }
}

main();
