// Finding and running the real kustomize: `kustomize build`, else `kubectl kustomize`.
import { run } from './process.ts';
import { resolveOnPath } from './kustomize-version.ts';

export interface KustomizeBinary {
  command: string;
  /** Arguments before the folder, e.g. ['build'] or ['kustomize']. */
  args: string[];
  display: string;
  /** What the probe that found it printed (`kustomize version`, `kubectl version --client -o json`): its version, without asking again. */
  versionOutput?: string;
}

/** No usable kustomize: none on PATH, or the one KUSTOMIZE names does not run. */
export class KustomizeMissingError extends Error {
  constructor(
    message = 'neither `kustomize` nor `kubectl` (with `kubectl kustomize`) was found on PATH; install one: https://kubectl.docs.kubernetes.io/installation/kustomize/ or https://kubernetes.io/docs/tasks/tools/',
  ) {
    super(message);
  }
}

let cached: Promise<KustomizeBinary> | undefined;

/** The kustomize to use; KUSTOMIZE env var may name a binary explicitly. */
export function findKustomize(): Promise<KustomizeBinary> {
  cached ??= (async () => {
    const explicit = process.env.KUSTOMIZE;
    // a binary the user named explicitly is used or refused, never silently swapped for another one
    if (explicit) {
      const probe = await run(explicit, ['version'], { timeoutMs: 20_000 });
      if (probe.code === 0) return { command: explicit, args: ['build'], display: `${explicit} build`, versionOutput: probe.stdout };
      const why = probe.code === 127 ? 'no such program' : probe.timedOut ? 'it did not answer in 20 s' : probe.code < 0 ? probe.stderr.split('\n')[0] : `it exited with code ${probe.code}`;
      throw new KustomizeMissingError(`KUSTOMIZE=${explicit} cannot be used: \`${explicit} version\` failed (${why}); point KUSTOMIZE at a kustomize binary, or unset it to use kustomize or kubectl from PATH`);
    }
    const candidates: KustomizeBinary[] = [
      { command: 'kustomize', args: ['build'], display: 'kustomize build' },
      { command: 'kubectl', args: ['kustomize'], display: 'kubectl kustomize' },
    ];
    for (const candidate of candidates) {
      // a program PATH does not have is not started; one probe both finds kustomize and says its version
      if (!resolveOnPath(candidate.command)) continue;
      if (candidate.command === 'kubectl') {
        const version = await run('kubectl', ['version', '--client', '-o', 'json'], { timeoutMs: 20_000 });
        if (version.code === 0 && version.stdout.includes('"kustomizeVersion"')) return { ...candidate, versionOutput: version.stdout };
        if ((await run('kubectl', ['kustomize', '--help'], { timeoutMs: 20_000 })).code === 0) return candidate;
        continue;
      }
      const probe = await run(candidate.command, ['version'], { timeoutMs: 20_000 });
      if (probe.code === 0) return { ...candidate, versionOutput: probe.stdout };
    }
    throw new KustomizeMissingError();
  })();
  return cached;
}

/** For tests that change PATH between calls. */
export function forgetKustomize(): void {
  cached = undefined;
}
