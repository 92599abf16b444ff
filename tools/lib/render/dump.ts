// --dump DIR: what each entry point of each cluster renders, as the objects the reconciler would apply, one file per
// entry point (DIR/<cluster>/<entry point>.yaml), so that a user can diff it against `flux build kustomization
// --dry-run` or `argocd app manifests`. Written after the reconciler's own steps (Flux substitution and commonMetadata,
// Argo CD's destination namespace), without the annotations kustomize adds for the checker's locate step.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { RenderedCluster } from '../core/types.ts';

export class DumpError extends Error {}

/** A file name for an entry point: "Kustomization flux-system/apps" -> "Kustomization-flux-system-apps.yaml". */
export function dumpFileName(entryPoint: string): string {
  const name = entryPoint.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'entry-point';
  return `${name}.yaml`;
}

/** Empties nothing: refuses a DIR that is a file, creates it otherwise. Throws DumpError with the reason. */
export function prepareDumpDir(dir: string): void {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new DumpError(`--dump ${dir}: exists and is not a folder`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new DumpError(`--dump ${dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Writes one cluster's entry points and Helm releases; returns the files written, relative to `dir`. */
export function writeDump(dir: string, cluster: RenderedCluster): string[] {
  const clusterDir = path.join(dir, cluster.name.replace(/[^A-Za-z0-9._-]+/g, '-'));
  fs.mkdirSync(clusterDir, { recursive: true });
  const byEntry = new Map<string, string[]>();
  for (const entry of cluster.entryPoints) byEntry.set(entry.name, []);
  for (const release of cluster.helmReleases ?? []) byEntry.set(release.name, []);
  for (const { object, entryPoint } of cluster.objects) {
    if (!byEntry.has(entryPoint)) byEntry.set(entryPoint, []);
    byEntry.get(entryPoint)!.push(stringify(object, { lineWidth: 0 }));
  }
  const written: string[] = [];
  const used = new Set<string>();
  for (const [entryPoint, documents] of byEntry) {
    let file = dumpFileName(entryPoint);
    for (let n = 2; used.has(file); n++) file = dumpFileName(`${entryPoint}-${n}`);
    used.add(file);
    fs.writeFileSync(path.join(clusterDir, file), `# ${entryPoint}: ${documents.length} object${documents.length === 1 ? '' : 's'}\n${documents.map((d) => `---\n${d}`).join('')}`);
    written.push(path.relative(dir, path.join(clusterDir, file)).split(path.sep).join('/'));
  }
  return written;
}
