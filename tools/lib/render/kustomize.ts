// Finding and running the real kustomize: `kustomize build`, else `kubectl kustomize`.
import { run } from './process.ts';

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
