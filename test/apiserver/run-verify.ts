// Runs tools/verify-apiserver.ts as a user would (through tsx), and says whether the binaries it needs are built.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { binariesIn, cacheRoot, missingBinaries, releaseOfModules } from '../../tools/lib/apiserver/binaries.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(REPO_ROOT, 'tools/verify-apiserver.ts');
const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export function runVerify(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000) {
  const result = spawnSync(process.execPath, ['--import', TSX_LOADER, SCRIPT, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: timeoutMs,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The binaries of the release tools/apiserver/ builds, in the cache the script uses by default. */
export function builtBinaries() {
  const binaries = binariesIn(cacheRoot(process.env.VERIFY_APISERVER_CACHE), releaseOfModules());
  return { binaries, built: missingBinaries(binaries).length === 0 };
}
