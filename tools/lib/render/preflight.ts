// Before kustomize runs: the files an entry point builds from, read with our own YAML parser. A syntax error,
// a duplicate key, an alias bomb or a file too big to render becomes one located problem in milliseconds,
// instead of a kustomize error without a file, or a kustomize process that never returns.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { RenderProblem } from '../core/types.ts';
import { parseSource, MAX_ALIAS_COUNT } from '../core/yaml-source.ts';
import type { SourceReader } from '../core/locate.ts';
import { hasKustomization, KUSTOMIZATION_FILES, plainFolderResources } from './kustomization-files.ts';
import { inlinePatchProblems } from './inline-patches.ts';

/** kustomize takes minutes over tens of megabytes; past this a file is refused with a finding. */
export const MAX_RENDER_FILE_BYTES = 8 * 1024 * 1024;
const MAX_FILES = 5000;

const toPosix = (p: string) => p.split(path.sep).join('/');
const isRemote = (ref: string) => /^[a-z]+:\/\//i.test(ref) || ref.startsWith('git@') || /^github\.com\//.test(ref);

/** Every local file a kustomization (or plain folder) builds from: resources, components, patches, recursively. */
export function buildInputs(target: string): string[] {
  const files = new Set<string>();
  const visited = new Set<string>();
  const addYaml = (file: string) => {
    if (files.size < MAX_FILES && /\.ya?ml$/.test(file)) files.add(file);
  };
  const visitPlainFolder = (dir: string) => {
    for (const resource of plainFolderResources(dir)) {
      if (fs.statSync(resource).isDirectory()) visitKustomization(resource);
      else addYaml(resource);
    }
  };
  const visitRef = (base: string, ref: unknown) => {
    if (typeof ref !== 'string' || ref.includes('\n') || isRemote(ref)) return;
    const full = path.resolve(base, ref);
    if (!fs.existsSync(full)) return; // kustomize names missing files itself
    if (fs.statSync(full).isDirectory()) (hasKustomization(full) ? visitKustomization(full) : undefined);
    else addYaml(full);
  };
  function visitKustomization(dir: string) {
    if (visited.has(dir)) return;
    visited.add(dir);
    const file = KUSTOMIZATION_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!file) return;
    files.add(file);
    let k: any;
    try {
      k = parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
    } catch {
      return; // the kustomization itself is reported by the parse below
    }
    for (const field of ['resources', 'bases', 'components', 'patchesStrategicMerge', 'crds']) {
      for (const ref of Array.isArray(k[field]) ? k[field] : []) visitRef(dir, ref);
    }
    for (const field of ['patches', 'patchesJson6902']) {
      for (const patch of Array.isArray(k[field]) ? k[field] : []) visitRef(dir, patch?.path);
    }
  }
  if (!fs.existsSync(target)) return [];
  if (fs.statSync(target).isDirectory()) (hasKustomization(target) ? visitKustomization(target) : visitPlainFolder(target));
  else addYaml(target);
  return [...files];
}

export interface PreflightResult {
  problems: RenderProblem[];
  /** What the render reads: the number of files and their size, for its time limit and its slow-render message. */
  files: number;
  bytes: number;
}

/**
 * Checks every file an entry point builds from. With the run's source reader, each file is parsed once for the
 * whole run: locate reads the same parsed files when it places a finding.
 */
export function preflightInputs(root: string, target: string, entryPoint: string, read?: SourceReader): PreflightResult {
  const problems: RenderProblem[] = [];
  const inputs = buildInputs(target);
  let bytes = 0;
  for (const file of inputs) {
    const relative = toPosix(path.relative(root, file));
    const size = fs.statSync(file).size;
    bytes += size;
    if (size > MAX_RENDER_FILE_BYTES) {
      problems.push({
        entryPoint,
        message: `${relative} is ${(size / 1024 / 1024).toFixed(1)} MiB, more than the ${MAX_RENDER_FILE_BYTES / 1024 / 1024} MiB the checker renders; split it, or move generated data out of git`,
        location: { file: relative, line: 1, column: 1 },
      });
      continue;
    }
    const parsed = (!relative.startsWith('..') && read?.(relative)) || parseSource(fs.readFileSync(file, 'utf8'));
    if (parsed.error) {
      problems.push({
        entryPoint,
        message: `${relative}:${parsed.error.line}:${parsed.error.column}: ${parsed.error.message}`,
        location: { file: relative, line: parsed.error.line, column: parsed.error.column },
      });
    } else if (KUSTOMIZATION_FILES.includes(path.basename(file))) {
      // inline patches live inside this file, so its size cap bounds them; their aliases expand only in kustomize
      for (const problem of inlinePatchProblems(parsed)) {
        problems.push({
          entryPoint,
          message: `${relative}:${problem.line}:${problem.column}: ${problem.message}`,
          location: { file: relative, line: problem.line, column: problem.column },
        });
      }
    }
  }
  return { problems, files: inputs.length, bytes };
}

export function preflight(root: string, target: string, entryPoint: string): RenderProblem[] {
  return preflightInputs(root, target, entryPoint).problems;
}
