// Finding and running the real kustomize: `kustomize build`, else `kubectl kustomize`.
import { execFile } from 'node:child_process';

export interface KustomizeBinary {
  command: string;
  /** Arguments before the folder, e.g. ['build'] or ['kustomize']. */
  args: string[];
  display: string;
}

export class KustomizeMissingError extends Error {
  constructor() {
    super(
      'neither `kustomize` nor `kubectl` (with `kubectl kustomize`) was found on PATH; install one: https://kubectl.docs.kubernetes.io/installation/kustomize/ or https://kubernetes.io/docs/tasks/tools/',
    );
  }
}

export interface RunResult {
  code: number;
  timedOut?: boolean;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as any).code === 'number' ? (error as any).code : -1) : 0;
        const notFound = error && (error as any).code === 'ENOENT';
        const timedOut = !!error && (error as any).killed === true && (error as any).signal === 'SIGTERM';
        resolve({ code: notFound ? 127 : code, timedOut, stdout: stdout ?? '', stderr: notFound ? `${command}: not found` : stderr || (error?.message ?? '') });
      },
    );
  });
}

let cached: Promise<KustomizeBinary> | undefined;

/** The kustomize to use; KUSTOMIZE env var may name a binary explicitly. */
export function findKustomize(): Promise<KustomizeBinary> {
  cached ??= (async () => {
    const explicit = process.env.KUSTOMIZE;
    const candidates: KustomizeBinary[] = [
      ...(explicit ? [{ command: explicit, args: ['build'], display: `${explicit} build` }] : []),
      { command: 'kustomize', args: ['build'], display: 'kustomize build' },
      { command: 'kubectl', args: ['kustomize'], display: 'kubectl kustomize' },
    ];
    for (const candidate of candidates) {
      const probe = await run(candidate.command, candidate.command === 'kubectl' ? ['kustomize', '--help'] : ['version'], { timeoutMs: 20_000 });
      if (probe.code === 0) return candidate;
    }
    throw new KustomizeMissingError();
  })();
  return cached;
}

/** For tests that change PATH between calls. */
export function forgetKustomize(): void {
  cached = undefined;
}
