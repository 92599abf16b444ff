// Running an external program (kustomize, kubectl, git) and collecting its output; never throws.
import { execFile } from 'node:child_process';

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
