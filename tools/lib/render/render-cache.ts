// The render cache: an entry point's render (objects and origins, as plain data) kept outside the repository under
// a key made of everything the render reads, so an unchanged entry point is not rendered again: on the next run, on
// the other side of --base, or in another clone. The key hashes every file under each kustomization folder the entry
// point builds from (kustomize's load restrictor keeps what it reads inside those folders) and every other input
// file, the entry point with its reconciler options, the kustomize binary, and the checker's own render code.
// Renders that read what a hash cannot cover (remote resources, helmCharts) and failed renders are not kept.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntryPoint } from '../core/types.ts';
import type { KustomizeBinary } from './kustomize.ts';
import type { RenderResult } from './render.ts';
import { buildInputs } from './preflight.ts';
import { fluxComponentFolders } from './flux-kustomization.ts';
import { argoComponentFolders } from './argo-kustomize.ts';

/** Bumped when what a cache entry holds changes shape. */
const FORMAT = 1;
const MAX_FILES_HASHED = 5000;
/** The cache is trimmed (oldest entries first) back under this size after a write. */
export const MAX_CACHE_BYTES = 500 * 1024 * 1024;

export function defaultRenderCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.POLICY_CHECK_RENDER_CACHE;
  if (configured === 'off' || configured === '0') return undefined;
  if (configured) return path.resolve(configured);
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'policy-check', 'renders');
}

const RENDER_CODE_DIR = path.dirname(fileURLToPath(import.meta.url));
let renderCodeHash: string | undefined;
/** The checker's render code: a new checker never reads an old checker's renders. */
function renderCode(): string {
  if (renderCodeHash) return renderCodeHash;
  const hash = createHash('sha256');
  for (const dir of [RENDER_CODE_DIR, path.join(RENDER_CODE_DIR, '../core')]) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) hash.update(`${file}\0`).update(fs.readFileSync(path.join(dir, file)));
  }
  return (renderCodeHash = hash.digest('hex'));
}

const fileHashes = new Map<string, { stamp: string; hash: string }>();
function hashFile(file: string): string {
  const stat = fs.statSync(file);
  const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  const known = fileHashes.get(file);
  if (known?.stamp === stamp) return known.hash;
  const hash = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  fileHashes.set(file, { stamp, hash });
  return hash;
}

function filesUnder(dir: string, out: Set<string>): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (out.size > MAX_FILES_HASHED) return;
    if (entry.name === '.git' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(full, out);
    else if (entry.isFile()) out.add(full);
  }
}

const UNCACHEABLE = /^\s*helmCharts\s*:|:\/\/|^\s*-\s*(github\.com|gitlab\.com|bitbucket\.org)\//m;

/** The cache key of a render, or undefined when its inputs cannot all be hashed. */
export function renderKey(root: string, entry: EntryPoint, kustomize: KustomizeBinary, annotate: boolean, revision?: string): string | undefined {
  const target = path.resolve(root, entry.path);
  if (!fs.existsSync(target)) return undefined;
  // the components a Flux Kustomization or Argo CD source adds are read too
  const components = entry.flux ? fluxComponentFolders(target, entry.flux) : entry.argo ? argoComponentFolders(target, entry.argo) : [];
  const inputs = [target, ...components].flatMap((t) => buildInputs(t, { root }).files);
  const files = new Set<string>(inputs);
  for (const input of inputs) {
    if (!/kustomization\.ya?ml$|Kustomization$/.test(input)) continue;
    if (UNCACHEABLE.test(fs.readFileSync(input, 'utf8'))) return undefined;
    filesUnder(path.dirname(input), files);
  }
  if (fs.statSync(target).isDirectory()) filesUnder(target, files);
  if (files.size > MAX_FILES_HASHED) return undefined;
  const hash = createHash('sha256');
  const { declaredIn: _declaredIn, ...what } = entry;
  // Argo CD's ARGOCD_APP_REVISION is the commit
  hash.update(JSON.stringify({ FORMAT, annotate, entry: what, revision: entry.argo ? (revision ?? null) : null, kustomize: kustomizeIdentity(kustomize), code: renderCode() }));
  for (const file of [...files].sort()) {
    const relative = path.relative(root, file);
    hash.update(`\0${relative.startsWith('..') ? file : relative.split(path.sep).join('/')}\0${hashFile(file)}`);
  }
  return hash.digest('hex');
}

function kustomizeIdentity(kustomize: KustomizeBinary): string {
  const binary = kustomize.command.includes('/') ? kustomize.command : whichOnPath(kustomize.command);
  if (!binary) return kustomize.display;
  const stat = fs.statSync(binary);
  return `${kustomize.display}|${binary}|${stat.size}|${stat.mtimeMs}`;
}

function whichOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && fs.existsSync(candidate)) return fs.realpathSync(candidate);
  }
  return undefined;
}

interface CacheEntry {
  format: number;
  key: string;
  result: RenderResult;
}

export class RenderCache {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** A kept render, or undefined (not kept, unreadable or corrupt: the caller renders again). */
  get(key: string): RenderResult | undefined {
    try {
      const entry = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as CacheEntry;
      if (entry.format !== FORMAT || entry.key !== key || !Array.isArray(entry.result?.objects) || !Array.isArray(entry.result?.problems)) return undefined;
      const now = new Date();
      fs.utimesSync(this.file(key), now, now);
      return entry.result;
    } catch {
      return undefined;
    }
  }

  /** Keeps a render; a cache that cannot be written only costs the next run a render. */
  set(key: string, result: RenderResult): void {
    try {
      const file = this.file(key);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify({ format: FORMAT, key, result } satisfies CacheEntry));
      fs.renameSync(temporary, file);
      this.trim();
    } catch {
      /* read-only or full disk: renders are simply not kept */
    }
  }

  /** Oldest entries go first once the cache is over its size. */
  trim(maxBytes = MAX_CACHE_BYTES): void {
    const entries: { file: string; size: number; mtime: number }[] = [];
    for (const sub of fs.existsSync(this.dir) ? fs.readdirSync(this.dir) : []) {
      const folder = path.join(this.dir, sub);
      if (!fs.statSync(folder).isDirectory()) continue;
      for (const name of fs.readdirSync(folder)) {
        const stat = fs.statSync(path.join(folder, name));
        entries.push({ file: path.join(folder, name), size: stat.size, mtime: stat.mtimeMs });
      }
    }
    let total = entries.reduce((n, e) => n + e.size, 0);
    for (const entry of entries.sort((a, b) => a.mtime - b.mtime)) {
      if (total <= maxBytes) break;
      fs.rmSync(entry.file, { force: true });
      total -= entry.size;
    }
  }

  clear(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
