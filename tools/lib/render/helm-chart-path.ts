// A Helm chart folder named as PATH is not a pile of manifests: its templates are Go templates,
// and what a cluster receives depends on the values of the release that installs it.
import fs from 'node:fs';
import path from 'node:path';
import type { EntryPoint, SkippedSource } from '../core/types.ts';
import { hasKustomization } from './kustomization-files.ts';

export const HELM_CHART_REASON =
  'it is a Helm chart (Chart.yaml); a chart is checked as rendered by the Flux HelmRelease or Argo CD Application that installs it, with that release\'s values: check clusters/<name>/, or the folder that holds the HelmRelease or Application';

/** The skipped line for a PATH that is a chart folder (and not also a kustomization); undefined otherwise. */
export function helmChartSkip(root: string, seed: EntryPoint): SkippedSource | undefined {
  if (seed.engine !== 'path') return undefined;
  const target = path.resolve(root, seed.path);
  if (!fs.existsSync(target) || !fs.statSync(target).isDirectory() || hasKustomization(target)) return undefined;
  if (!fs.existsSync(path.join(target, 'Chart.yaml'))) return undefined;
  return { cluster: seed.cluster, name: seed.path, kind: 'Helm chart', declaredIn: { file: `${seed.path === '.' ? '' : `${seed.path}/`}Chart.yaml`, line: 1, column: 1 }, reason: HELM_CHART_REASON };
}
