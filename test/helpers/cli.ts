import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const CHECK = path.join(REPO_ROOT, 'tools/check.ts');
/** tsx's loader by absolute URL, so the CLI runs from any working directory (temporary fixture copies). */
const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs tools/check.ts as a user would, in `cwd`, through tsx. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, ['--import', TSX_LOADER, CHECK, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr.split('\n').filter((l) => !l.includes('npm warn')).join('\n') };
}

/** A throwaway copy of a fixture folder, so a test can add config or break files. */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fixture-${name}-`));
  fs.cpSync(path.join(REPO_ROOT, 'test/fixtures', name), dir, { recursive: true });
  return dir;
}
