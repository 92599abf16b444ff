// Most entry points need no work copy: when the reconciler changes nothing in the folder's kustomization, kustomize
// builds the repository's own files. A bare render builds the folder itself; a render with origin annotations builds
// a one-line kustomization outside the repository that lists the folder and asks for the annotations (kustomize gives
// a nested kustomization its parent's buildMetadata: api/internal/target/kusttarget.go accumulateDirectory).
// Copying the build's files took about a third of the main thread's time of a cold check, and held up every render.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { EntryPoint } from '../core/types.ts';
import { MAX_ALIAS_COUNT } from '../core/yaml-source.ts';
import { FLUX_BUILD_ARGS, FLUX_KUSTOMIZATION_EDITS, fluxScanManifests, withLocateMetadata } from './flux-kustomization.ts';
import { argoSourceOverrideFiles, argoSourceType } from './argo-kustomize.ts';
import { hasKustomization, KUSTOMIZATION_FILES, plainFolderResources } from './kustomization-files.ts';
import { kustomizationValue, parseUnchanged } from './preflight.ts';

export interface InPlaceBuild {
  /** The folder kustomize builds: the entry point's own, or the annotating wrapper's. */
  dir: string;
  args: string[];
  remove(): void;
}

/**
 * Fields a wrapper would change the meaning of: only the top kustomization's sortOptions and buildMetadata count, and
 * openapi and vars are read across the whole build. A kustomization with any of them is annotated in a work copy.
 */
const TOP_LEVEL_ONLY = ['sortOptions', 'buildMetadata', 'openapi', 'vars'];

const isUnset = (value: unknown) => value === undefined || (Array.isArray(value) && value.length === 0);

function kustomizationOf(target: string): Record<string, unknown> | undefined {
  const file = KUSTOMIZATION_FILES.map((f) => path.join(target, f)).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (!file) return undefined;
  const fast = kustomizationValue(file);
  if (fast) return fast;
  const source = parseUnchanged(file);
  if (source.error || source.documents.length !== 1) return undefined;
  try {
    const value = source.documents[0].toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The reconciler's edit of this entry point is empty: Flux and Argo CD would build the folder as it is in git. */
function reconcilerEditsNothing(entry: EntryPoint, target: string): boolean {
  if (entry.flux) return FLUX_KUSTOMIZATION_EDITS.every((key) => isUnset(entry.flux![key]));
  if (entry.argo) {
    const source = entry.argo.source;
    try {
      if (argoSourceType(source, target) !== 'Kustomize') return false;
    } catch {
      return false; // two explicit source types: the work copy's build reports Argo CD's error
    }
    if (Object.keys(source.kustomize ?? {}).length > 0) return false;
    return !argoSourceOverrideFiles(entry.argo.application).some((name) => fs.existsSync(path.join(target, name)));
  }
  return !entry.substitute;
}

/** A kustomization in a new temporary folder that lists `resources` (absolute paths), with the annotations if asked. */
function wrapper(resources: string[], annotate: boolean): InPlaceBuild {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-wrap-'));
  const kustomization: Record<string, unknown> = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: resources.map((r) => path.relative(dir, r).split(path.sep).join('/')) };
  if (annotate) withLocateMetadata(kustomization);
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), stringify(kustomization));
  return { dir, args: FLUX_BUILD_ARGS, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A folder without a kustomization, listed as the reconciler lists it (Flux: scanManifests; a path given to the
 * checker: its YAML files), from outside the repository. Argo CD's directory sources have options of their own.
 */
function plainFolderBuild(entry: EntryPoint, target: string, annotate: boolean): InPlaceBuild | undefined {
  if (entry.argo || entry.substitute || (entry.flux && !reconcilerEditsNothing(entry, target))) return undefined;
  const resources = entry.flux ? fluxScanManifests(target).map((r) => path.join(target, r)) : plainFolderResources(target);
  // Flux gives an empty folder a placeholder namespace: the work copy reproduces that
  if (resources.length === 0) return undefined;
  return wrapper(resources, annotate);
}

/** How to build `target` (a folder of the repository) without a work copy, or undefined when it needs one. */
export function inPlaceBuild(entry: EntryPoint, target: string, annotate: boolean): InPlaceBuild | undefined {
  if (!fs.statSync(target).isDirectory()) return undefined;
  if (!hasKustomization(target)) return plainFolderBuild(entry, target, annotate);
  const kustomization = kustomizationOf(target);
  if (!kustomization || !reconcilerEditsNothing(entry, target)) return undefined;
  if (kustomization.kind !== undefined && kustomization.kind !== 'Kustomization') return undefined;
  // Flux builds with no load restrictor; Argo CD and a plain path with kustomize's default
  const args = entry.flux ? FLUX_BUILD_ARGS : [];
  if (!annotate) return { dir: target, args, remove: () => {} };
  if (TOP_LEVEL_ONLY.some((key) => kustomization[key] !== undefined)) return undefined;
  // the folder is the wrapper's one resource, loaded with its own root: the load restrictor applies inside it as before
  return { ...wrapper([target], true), args };
}
