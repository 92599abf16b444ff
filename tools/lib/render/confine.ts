// Flux and Argo CD build a Kustomization from their source's artifact and nothing else: a path that leaves the
// repository, by `..` or through a symlink, does not exist for them. The checker refuses such a path before it
// reads a byte of it (a finding, render/outside-repository), instead of checking files that are never deployed.
import fs from 'node:fs';
import path from 'node:path';

export const OUTSIDE_REPOSITORY_RULE = 'render/outside-repository';

const within = (root: string, candidate: string) => {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

const realRoots = new Map<string, string>();
function realRoot(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    try {
      real = fs.realpathSync(root);
    } catch {
      real = path.resolve(root);
    }
    realRoots.set(root, real);
  }
  return real;
}

export type Escape = { how: 'path' } | { how: 'symlink'; link: string };

/**
 * Whether `candidate` leaves `root`: by its own path (`../../outside`), or, once every symlink on the way is
 * followed, by where it really is. Only the path's name and the links are read, never the file itself.
 */
export function escapesRoot(root: string, candidate: string): Escape | undefined {
  const absolute = path.resolve(root, candidate);
  if (!within(path.resolve(root), absolute)) return { how: 'path' };
  let real: string;
  try {
    real = fs.realpathSync(absolute);
  } catch {
    return undefined; // missing: kustomize (or the caller) says so, and nothing outside can be read through it
  }
  if (within(realRoot(root), real)) return undefined;
  return { how: 'symlink', link: firstEscapingLink(root, absolute) };
}

/** The first symlink along `absolute` (below root) that points outside, as a repository path, for the message. */
function firstEscapingLink(root: string, absolute: string): string {
  const segments = path.relative(path.resolve(root), absolute).split(path.sep);
  let current = path.resolve(root);
  for (const segment of segments) {
    current = path.join(current, segment);
    try {
      if (fs.lstatSync(current).isSymbolicLink() && !within(realRoot(root), fs.realpathSync(current))) break;
    } catch {
      break;
    }
  }
  return path.relative(path.resolve(root), current).split(path.sep).join('/');
}

const WHY = 'Flux and Argo CD read only the files of their source, so the checker refuses it and does not read it';

/** The finding's message for a reference `ref` (as written; `refPath`: where it leads, as a repository path) that escapes. */
export function escapeMessage(ref: string, escape: Escape, namedIn?: string, refPath = ref): string {
  const where = namedIn ? `${namedIn} names ` : '';
  if (escape.how === 'path') return `${where}${ref}, which is outside the repository; ${WHY}`;
  if (!namedIn) return `${escape.link}, a symlink to a path outside the repository; ${WHY}`;
  return escape.link === path.posix.normalize(refPath)
    ? `${where}${ref}, a symlink to a path outside the repository; ${WHY}`
    : `${where}${ref}, which leads outside the repository through the symlink ${escape.link}; ${WHY}`;
}
