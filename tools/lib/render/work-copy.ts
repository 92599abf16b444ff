// A throwaway copy of the part of the repository one entry point builds from. Flux and Argo CD edit the folder's
// own kustomization.yaml before they build it; doing the same in a copy keeps the user's files untouched and lets
// renders of one folder with different reconciler options run side by side.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_ALIAS_COUNT } from '../core/yaml-source.ts';
import { buildInputs, parseUnchanged } from './preflight.ts';
import { KUSTOMIZATION_FILES } from './kustomization-files.ts';

export interface WorkCopy {
  /** The copy's root: the repository's root, for every path inside it. */
  root: string;
  remove(): void;
}

const SKIPPED_NAMES = new Set(['.git', 'node_modules']);

/**
 * What else a kustomization reads: generator inputs, configurations, replacements, openapi, and folders it names
 * as resources or components even when they hold no kustomization (kustomize's error about them needs them there).
 */
function otherInputs(kustomizationFile: string): string[] {
  // the same parse buildInputs made of this file a moment ago
  const source = parseUnchanged(kustomizationFile);
  if (source.error) return [];
  let k: any;
  try {
    k = source.documents[0]?.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch {
    return [];
  }
  if (!k || typeof k !== 'object') return [];
  const refs: unknown[] = [];
  for (const generator of [...(Array.isArray(k.configMapGenerator) ? k.configMapGenerator : []), ...(Array.isArray(k.secretGenerator) ? k.secretGenerator : [])]) {
    for (const file of Array.isArray(generator?.files) ? generator.files : []) refs.push(typeof file === 'string' ? file.slice(file.indexOf('=') + 1) : file);
    refs.push(...(Array.isArray(generator?.envs) ? generator.envs : []), generator?.env);
  }
  refs.push(...(Array.isArray(k.configurations) ? k.configurations : []), k.openapi?.path);
  for (const field of ['resources', 'bases', 'components']) refs.push(...(Array.isArray(k[field]) ? k[field] : []));
  for (const replacement of Array.isArray(k.replacements) ? k.replacements : []) refs.push(replacement?.path);
  const dir = path.dirname(kustomizationFile);
  return refs.filter((r): r is string => typeof r === 'string' && !r.includes('://')).map((r) => path.resolve(dir, r));
}

/**
 * Copies into a new temporary folder every folder that holds a kustomization the build reads (whole, with its
 * sub-folders), the plain folder or file `target` itself, and any file read from outside those folders.
 * `extraTargets` are further folders the reconciler adds (Flux and Argo CD `components`).
 */
export function copyForBuild(root: string, target: string, extraTargets: string[] = []): WorkCopy {
  const copyRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-'));
  const folders = new Set<string>();
  const files = new Set<string>();
  const inside = (p: string) => p === root || p.startsWith(root + path.sep);
  for (const start of [target, ...extraTargets]) {
    if (!fs.existsSync(start)) continue;
    if (fs.statSync(start).isDirectory()) folders.add(start);
    else files.add(start);
    for (const input of buildInputs(start, { root }).files) {
      if (KUSTOMIZATION_FILES.includes(path.basename(input))) {
        folders.add(path.dirname(input));
        for (const other of otherInputs(input)) {
          if (fs.existsSync(other) && fs.statSync(other).isDirectory()) folders.add(other);
          else files.add(other);
        }
      } else files.add(input);
    }
  }
  const sorted = [...folders].filter(inside).sort();
  const roots = sorted.filter((dir, i) => !sorted.slice(0, i).some((outer) => dir === outer || dir.startsWith(outer + path.sep)));
  const covered = (file: string) => roots.some((dir) => file.startsWith(dir + path.sep));
  const copy = (from: string) => {
    const to = path.join(copyRoot, path.relative(root, from));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true, filter: (source) => !SKIPPED_NAMES.has(path.basename(source)) || source === from });
  };
  try {
    for (const dir of roots) copy(dir);
    for (const file of files) if (inside(file) && !covered(file) && fs.existsSync(file)) copy(file);
  } catch (error) {
    fs.rmSync(copyRoot, { recursive: true, force: true });
    throw error;
  }
  return { root: copyRoot, remove: () => fs.rmSync(copyRoot, { recursive: true, force: true }) };
}
