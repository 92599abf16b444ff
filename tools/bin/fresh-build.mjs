// Whether dist/ (npm run build) holds the checker as it is in the sources: then the `policy-check` command starts the
// plain JavaScript, without tsx. Any source newer than the build (an edit, a checkout) sends it back to tsx.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** dist/, or POLICY_CHECK_BUILD_DIR (tests build elsewhere). */
export const BUILD_DIR = process.env.POLICY_CHECK_BUILD_DIR ? path.resolve(process.env.POLICY_CHECK_BUILD_DIR) : path.join(root, 'dist');
export const SOURCE_ROOT = root;
export const BUILD_STAMP = path.join(BUILD_DIR, '.built');
/** The folders whose files the build is made from. */
export const BUILT_FROM = ['tools', 'policies', 'schemas'];

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** dist/tools/check.js when the build is fresh, else undefined. */
export function freshBuild() {
  try {
    const built = fs.statSync(BUILD_STAMP).mtimeMs;
    const newest = Math.max(...BUILT_FROM.map((dir) => newestSource(path.join(root, dir))));
    return newest <= built ? path.join(BUILD_DIR, 'tools/check.js') : undefined;
  } catch {
    return undefined;
  }
}
