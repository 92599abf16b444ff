// Running an external program (kustomize, kubectl, helm, git) and collecting its output; never throws.
// Every program runs in its own process group, so stopping it (time limit, checker exit, Ctrl-C) stops everything
// it started too: a `kubectl kustomize` stuck in an alias bomb must not outlive the check by an hour.
import { spawn, spawnSync } from 'node:child_process';

export interface RunResult {
  code: number;
  timedOut?: boolean;
  /** The output passed MAX_OUTPUT_BYTES and the program was stopped. */
  outputTooLarge?: boolean;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Bound the program's address space (Linux: prlimit --as, else `ulimit -v`); undefined or 0: unbounded. */
  memoryLimitBytes?: number;
}

const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/** Process group ids (the leader's pid) of every program started here that may still have live members. */
const liveGroups = new Set<number>();

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* the group is already gone */
  }
}

/** Stops every program started by run() and everything they started; synchronous, so it works in an exit handler. */
export function killAllGroups(): void {
  for (const pid of liveGroups) killGroup(pid);
  liveGroups.clear();
}

/** The number of process groups still tracked (tests). */
export function liveGroupCount(): number {
  return liveGroups.size;
}

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllGroups);
}

/**
 * For the CLI: on SIGINT or SIGTERM, kill every render group and exit 130 or 143 as a shell would. A library
 * (or a test runner) keeps its own signal handling, so this is opt-in.
 */
export function exitOnSignals(onSignal: (signal: NodeJS.Signals) => void = () => {}): void {
  installExitHook();
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      killAllGroups();
      onSignal(signal);
      process.exit(code);
    });
  }
}

type MemoryWrapper = 'prlimit' | 'ulimit' | 'none';
let memoryWrapper: MemoryWrapper | undefined;

/** How this machine bounds a child's memory: prlimit(1) where installed, else the shell's `ulimit -v`, else not at all. */
export function memoryLimitMethod(): MemoryWrapper {
  if (memoryWrapper) return memoryWrapper;
  if (process.platform !== 'linux') return (memoryWrapper = 'none');
  if (spawnSync('prlimit', ['--version'], { stdio: 'ignore' }).status === 0) return (memoryWrapper = 'prlimit');
  if (spawnSync('sh', ['-c', 'ulimit -v unlimited'], { stdio: 'ignore' }).status === 0) return (memoryWrapper = 'ulimit');
  return (memoryWrapper = 'none');
}

function withMemoryLimit(command: string, args: string[], limitBytes: number | undefined): [string, string[]] {
  if (!limitBytes) return [command, args];
  switch (memoryLimitMethod()) {
    case 'prlimit':
      return ['prlimit', [`--as=${limitBytes}`, '--', command, ...args]];
    case 'ulimit':
      return ['sh', ['-c', `ulimit -v ${Math.ceil(limitBytes / 1024)} && exec "$0" "$@"`, command, ...args]];
    default:
      return [command, args];
  }
}

export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  installExitHook();
  const [program, programArgs] = withMemoryLimit(command, args, options.memoryLimitBytes);
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outputBytes = 0;
    let timedOut = false;
    let outputTooLarge = false;
    let settled = false;
    const child = spawn(program, programArgs, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid !== undefined) liveGroups.add(pid);
    const stop = () => {
      if (pid === undefined) return;
      killGroup(pid);
      liveGroups.delete(pid);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs ?? 120_000);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > MAX_OUTPUT_BYTES) {
        outputTooLarge = true;
        stop();
        return;
      }
      into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    const finish = (result: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      stop();
      const notFound = error.code === 'ENOENT';
      finish({ code: notFound ? 127 : -1, stdout: '', stderr: notFound ? `${command}: not found` : error.message });
    });
    // a grandchild still holding the pipes would keep 'close' from firing: once the program itself exits, its group goes
    child.on('exit', () => stop());
    child.on('close', (code, signal) => {
      const out = Buffer.concat(stdout).toString('utf8');
      const err = Buffer.concat(stderr).toString('utf8');
      finish({
        code: code ?? -1,
        ...(timedOut ? { timedOut } : {}),
        ...(outputTooLarge ? { outputTooLarge } : {}),
        stdout: out,
        stderr: err || (signal ? `${command} was stopped by ${signal}` : ''),
      });
    });
  });
}
