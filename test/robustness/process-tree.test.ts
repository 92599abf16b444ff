// A render that hangs takes its whole process tree with it: at its time limit, and when the checker is
// interrupted. The fake kustomize writes its own pid and its grandchild's to a file; after the checker is done,
// neither may be alive.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECK, REPO_ROOT, copyFixture, runCli } from '../helpers/cli.ts';
import { killAllGroups, liveGroupCount, run } from '../../tools/lib/render/process.ts';

const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** A kustomize that answers `version`, then on a build records its pid, starts a grandchild `sleep` and waits forever. */
function hangingKustomize(): { binary: string; pidFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hanging-kustomize-'));
  const pidFile = path.join(dir, 'pids');
  const binary = path.join(dir, 'kustomize');
  fs.writeFileSync(binary, `#!/bin/sh\nif [ "$1" = version ]; then echo v5.5.0; exit 0; fi\necho $$ >> ${pidFile}\nsleep 300 &\necho $! >> ${pidFile}\nwait\n`, { mode: 0o755 });
  return { binary, pidFile };
}

const pidsIn = (file: string): number[] => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : []);

/** Signal 0 reaches it: alive, or a zombie its reaper (pid 1, once the checker is gone) has not collected yet. */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('render process trees', () => {
  it('SIGINT stops the checker with exit 130 and kills every render and its children', async () => {
    const repo = copyFixture('engine-repo');
    const { binary, pidFile } = hangingKustomize();
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CHECK, '--cluster', 'flux-dev'], { cwd: repo, env: { ...process.env, KUSTOMIZE: binary, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => pidsIn(pidFile).length >= 2, 60_000);
    const pids = pidsIn(pidFile);
    expect(pids.every(exists)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('policy-check: stopped by SIGINT; every render was stopped with it');
    await waitFor(() => !pids.some(exists), 15_000);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 90_000);

  it('SIGTERM: exit 143, nothing left running', async () => {
    const repo = copyFixture('engine-repo');
    const { binary, pidFile } = hangingKustomize();
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CHECK, '--cluster', 'flux-dev'], { cwd: repo, env: { ...process.env, KUSTOMIZE: binary }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => pidsIn(pidFile).length >= 2, 60_000);
    const pids = pidsIn(pidFile);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    await waitFor(() => !pids.some(exists), 15_000);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 90_000);

  it('a render past --render-timeout is stopped with its grandchildren, and the run reports it', async () => {
    const repo = copyFixture('engine-repo');
    const { binary, pidFile } = hangingKustomize();
    const result = runCli(['--cluster', 'flux-dev', '--render-timeout', '1', '--format', 'json', '--allow-empty'], repo, { KUSTOMIZE: binary });
    expect(result.code).toBe(1);
    const failed = JSON.parse(result.stdout).findings.filter((f: any) => f.rule === 'render/failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].message).toMatch(/did not finish rendering clusters\/flux-dev \(\d+ files?, \d+ KiB\) in 1 s and was stopped/);
    const pids = pidsIn(pidFile);
    expect(pids).toHaveLength(2);
    await waitFor(() => !pids.some(exists), 15_000);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 90_000);

  it('run(): a program that exits leaves no grandchild behind, and its group is forgotten', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grandchild-'));
    const pidFile = path.join(dir, 'pid');
    const result = await run('sh', ['-c', `sleep 300 > /dev/null 2>&1 & echo $! > ${pidFile}; echo done`], { timeoutMs: 10_000 });
    expect(result).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
    const [pid] = pidsIn(pidFile);
    await waitFor(() => !exists(pid), 15_000);
    expect(liveGroupCount()).toBe(0);
  });

  it('killAllGroups() stops a program still running', async () => {
    const pending = run('sleep', ['300'], { timeoutMs: 60_000 });
    await waitFor(() => liveGroupCount() === 1, 5_000);
    killAllGroups();
    const result = await pending;
    expect(result.code).toBe(-1);
    expect(result.stderr).toBe('sleep was stopped by SIGKILL');
  });

  it('a missing program is code 127 with its name', async () => {
    expect(await run('no-such-program-here', [])).toEqual({ code: 127, stdout: '', stderr: 'no-such-program-here: not found' });
  });

  it('memory is bounded: a program asking for more address space than the limit fails', async () => {
    // python allocating 2 GiB under a 1 GiB address-space limit; where nothing can bound memory, say so
    const result = await run('python3', ['-c', 'b = bytearray(2 * 1024 ** 3); print("allocated")'], { memoryLimitBytes: 1024 ** 3, timeoutMs: 30_000 });
    if (result.code === 127) return expect.soft(result.stderr).toBe('python3: not found');
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('MemoryError');
    expect(result.code).toBe(1);
  });
});
