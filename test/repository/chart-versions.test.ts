// A chart is pinned to one version across the repository: the Flux HelmRelease (k3s, kind) and the Argo CD
// Application (staging, production) of the same chart must agree, or two clusters silently run different releases.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface ChartPin {
  chart: string;
  version: string;
  file: string;
}

/** Every chart version a HelmRelease or an Argo CD Application pins, from YAML texts by file. */
function chartPins(files: Record<string, string>): ChartPin[] {
  const pins: ChartPin[] = [];
  for (const [file, text] of Object.entries(files)) {
    for (const doc of parseAllDocuments(text)) {
      const o = doc.toJS() as any;
      if (o?.kind === 'HelmRelease' && o.spec?.chart?.spec?.chart) {
        pins.push({ chart: o.spec.chart.spec.chart, version: String(o.spec.chart.spec.version ?? '*'), file });
      }
      if (o?.kind === 'Application') {
        for (const source of [o.spec?.source, ...(o.spec?.sources ?? [])]) {
          if (source?.chart) pins.push({ chart: source.chart, version: String(source.targetRevision ?? '*'), file });
        }
      }
    }
  }
  return pins;
}

/** Charts pinned to more than one version, with where each version is written. */
function disagreements(pins: ChartPin[]): Record<string, string[]> {
  const byChart = new Map<string, ChartPin[]>();
  for (const pin of pins) byChart.set(pin.chart, [...(byChart.get(pin.chart) ?? []), pin]);
  const out: Record<string, string[]> = {};
  for (const [chart, list] of byChart) {
    if (new Set(list.map((p) => p.version)).size > 1) out[chart] = list.map((p) => `${p.version} (${p.file})`);
  }
  return out;
}

function yamlFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(out, yamlFiles(relative));
    else if (/\.ya?ml$/.test(entry.name)) out[relative] = fs.readFileSync(path.join(ROOT, relative), 'utf8');
  }
  return out;
}

describe('chart versions', () => {
  it('every chart of this repository is pinned to one version by Flux and Argo CD alike', () => {
    const pins = chartPins({ ...yamlFiles('infrastructure'), ...yamlFiles('clusters') });
    expect(new Set(pins.map((p) => p.chart))).toEqual(new Set(['cert-manager', 'external-secrets', 'ingress-nginx', 'prometheus-operator-crds']));
    expect(pins.filter((p) => p.file.includes('/argocd/')).length).toBe(4);
    expect(disagreements(pins)).toEqual({});
  });

  it('a HelmRelease and an Application that disagree are named with both versions', () => {
    const pins = chartPins({
      'infrastructure/controllers/cert-manager/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  chart:\n    spec: { chart: cert-manager, version: v1.16.2 }\n',
      'infrastructure/argocd/cert-manager.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source: { chart: cert-manager, targetRevision: v1.16.3 }\n',
    });
    expect(disagreements(pins)).toEqual({
      'cert-manager': ['v1.16.2 (infrastructure/controllers/cert-manager/release.yaml)', 'v1.16.3 (infrastructure/argocd/cert-manager.yaml)'],
    });
  });
});
