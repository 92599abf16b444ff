// A kustomize failure about a resource (a missing file or folder, a remote base that cannot be
// fetched) turned into what a reviewer needs first: the cause, in repository paths, at the line
// of the kustomization that names the resource. kustomize's own text follows, for the details.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import type { SourceLocation } from '../core/types.ts';
import { parseSource, positionOf } from '../core/yaml-source.ts';
import { KUSTOMIZATION_FILES } from './kustomization-files.ts';

const toPosix = (p: string) => p.split(path.sep).join('/');
const isRemote = (ref: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || ref.startsWith('git@') || /^github\.com\//.test(ref);

/** The kustomization fields whose list entries kustomize accumulates as resources. */
const RESOURCE_FIELDS = ['resources', 'bases', 'components'];

export interface ExplainedFailure {
  /** Cause first; kustomize's cleaned text after it. */
  message: string;
  location: SourceLocation;
}

/**
 * The wrapper kustomization names the entry point by a path relative to the temporary folder;
 * say the repository path instead. `wrapperResources` are the wrapper's entries as written.
 */
export function withRepositoryPaths(message: string, wrapperResources: string[], wrapperDir: string, root: string): string {
  let out = message;
  for (const written of wrapperResources) {
    const repoPath = toPosix(path.relative(root, path.resolve(wrapperDir, written))) || '.';
    out = out.split(`'${written}'`).join(`'${repoPath}'`);
  }
  // kustomize first tries the wrapper's entry as a file; that attempt says nothing about the user's files
  return out.replace(/accumulation err='accumulating resources from '([^']*)': '\1' must resolve to a file': recursed accumulation of path '\1': /g, '');
}

/** Where in a kustomization file an entry of resources/bases/components is written. */
function entryLine(file: string, matches: (value: string) => boolean): { line: number; column: number; field: string; written: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const source = parseSource(text);
  const contents = source.documents[0]?.contents;
  if (!isMap(contents)) return undefined;
  for (const field of RESOURCE_FIELDS) {
    const list = contents.get(field, true);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (isScalar(item) && typeof item.value === 'string' && matches(item.value)) return { ...positionOf(source, item), field, written: item.value };
    }
  }
  return undefined;
}

function kustomizationIn(folder: string): string | undefined {
  return KUSTOMIZATION_FILES.map((f) => path.join(folder, f)).find((f) => fs.existsSync(f));
}

/** What went wrong fetching a remote resource, in a few words taken from kustomize's or git's text. */
function remoteCause(message: string): string {
  const host = message.match(/lookup (\S+)[^:]*: no such host/) ?? message.match(/Could not resolve host: ([^\s':]+)/);
  if (host) return `host ${host[1]} could not be resolved (no network, or a wrong URL)`;
  const status = message.match(/(repository '[^']*' not found|Repository not found|Authentication failed|Permission denied|HTTP \d{3}[^']*|timeout|timed out)/i);
  return status ? status[1] : 'the fetch failed';
}

/**
 * Explains a failure about one resource entry, or undefined when the message is about something else.
 * `message` is kustomize's error already in repository paths; `target` the entry point's folder.
 */
export function explainResourceFailure(message: string, root: string, target: string): ExplainedFailure | undefined {
  const resources = [...message.matchAll(/accumulating resources from '([^']+)'/g)].map((m) => m[1]);
  const folders = [...message.matchAll(/recursed accumulation of path '([^']+)'/g)].map((m) => m[1]);
  // a component folder without a kustomization is named by its resolved path, not as written
  const unbuildable = message.match(/couldn't make target for path '([^']+)'/)?.[1];
  const written = resources[resources.length - 1];
  if (!written && !unbuildable) return undefined;
  // the kustomization that names it: the last folder kustomize recursed into, else the entry point
  const candidates = [...folders.reverse().map((f) => path.resolve(root, f)), target];
  for (const folder of candidates) {
    const file = kustomizationIn(folder);
    if (!file) continue;
    const at = entryLine(file, (value) => (written ? value === written : path.resolve(folder, value) === path.resolve(root, unbuildable!)));
    if (!at) continue;
    const kustomization = toPosix(path.relative(root, file));
    let cause: string;
    if (isRemote(at.written)) {
      cause = `remote ${at.field} entry ${at.written} cannot be fetched: ${remoteCause(message)}`;
    } else {
      const resolved = path.resolve(folder, at.written);
      const repoPath = toPosix(path.relative(root, resolved));
      const shown = repoPath.startsWith('..') ? resolved : repoPath;
      if (!fs.existsSync(resolved)) cause = `${at.field} entry ${at.written} does not exist (${shown})`;
      else if (fs.statSync(resolved).isDirectory() && !kustomizationIn(resolved)) cause = `${at.field} entry ${at.written} is a folder without a kustomization.yaml (${shown})`;
      else continue;
    }
    return {
      message: `${kustomization}:${at.line}: ${cause}; kustomize said: ${readableChain(message)}`,
      location: { file: kustomization, line: at.line, column: at.column },
    };
  }
  return undefined;
}

/** kustomize tries every folder entry as a file first; that attempt is noise next to the real cause. */
function readableChain(message: string): string {
  return message.replace(/'([^']*)' must resolve to a file': recursed accumulation of path '([^']*)': /g, "folder '$2': ");
}
