// Before kustomize runs: the files an entry point builds from, read with our own YAML parser. A syntax error,
// a duplicate key, an alias bomb or a file too big to render becomes one located problem in milliseconds,
// instead of a kustomize error without a file, or a kustomize process that never returns.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { RenderProblem } from '../core/types.ts';
import { parseSource, MAX_ALIAS_COUNT } from '../core/yaml-source.ts';
import type { SourceReader } from '../core/locate.ts';
import { readsAsSubset } from './rendered-yaml.ts';
import { hasKustomization, KUSTOMIZATION_FILES, plainFolderResources } from './kustomization-files.ts';

const RECONCILER_GROUPS = /toolkit\.fluxcd\.io|argoproj\.io/;

/** kustomize takes minutes over tens of megabytes; past this a file is refused with a finding. */
export const MAX_RENDER_FILE_BYTES = 8 * 1024 * 1024;
const MAX_FILES = 5000;

const toPosix = (p: string) => p.split(path.sep).join('/');
const isRemote = (ref: string) => /^[a-z]+:\/\//i.test(ref) || ref.startsWith('git@') || /^github\.com\//.test(ref);

/** Entry points share bases and components: each kustomization file is parsed once while it is unchanged. */
const kustomizations = new Map<string, { stamp: string; content: any }>();

function readKustomization(file: string): any {
  const stat = fs.statSync(file);
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const known = kustomizations.get(file);
  if (known?.stamp === stamp) return known.content;
  let content: any;
  try {
    content = parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch {
    content = undefined;
  }
  kustomizations.set(file, { stamp, content });
  return content;
}

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
    const k = readKustomization(file);
    if (!k) return; // the kustomization itself is reported by the parse below
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
  /** Whether a file names a Flux or Argo CD API group: the render will likely hold reconcilers to follow. */
  mentionsReconcilers: boolean;
}

/**
 * Checks every file an entry point builds from. With the run's source reader, each file is parsed once for the
 * whole run: locate reads the same parsed files when it places a finding.
 */
export function preflightInputs(root: string, target: string, entryPoint: string, read?: SourceReader): PreflightResult {
  const problems: RenderProblem[] = [];
  const inputs = buildInputs(target);
  let bytes = 0;
  let mentionsReconcilers = false;
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
    const text = fs.readFileSync(file, 'utf8');
    mentionsReconcilers ||= RECONCILER_GROUPS.test(text);
    // most files are plain block YAML: the fast reader proves them clean; the rest get the full parse with positions
    if (readsAsSubset(text)) continue;
    const parsed = (!relative.startsWith('..') && read?.(relative)) || parseSource(text);
    if (parsed.error) {
      problems.push({
        entryPoint,
        message: `${relative}:${parsed.error.line}:${parsed.error.column}: ${parsed.error.message}`,
        location: { file: relative, line: parsed.error.line, column: parsed.error.column },
      });
    }
  }
  return { problems, files: inputs.length, bytes, mentionsReconcilers };
}

export function preflight(root: string, target: string, entryPoint: string): RenderProblem[] {
  return preflightInputs(root, target, entryPoint).problems;
}
