// Finding the real `helm` (Helm 3): HELM names it explicitly, else PATH, else where `go install` puts it.
import os from 'node:os';
import path from 'node:path';
import { run } from '../render/process.ts';

export interface HelmBinary {
  command: string;
  /** As `helm version --short` prints it, e.g. v3.22.0. */
  version: string;
}

export type HelmLookup = { found: true; helm: HelmBinary } | { found: false; reason: string };

function candidates(): string[] {
  const explicit = process.env.HELM;
  if (explicit) return [explicit];
  const goBins = [process.env.GOBIN, process.env.GOPATH ? path.join(process.env.GOPATH, 'bin') : undefined, path.join(os.homedir(), 'go', 'bin')]
    .filter((dir): dir is string => !!dir)
    .map((dir) => path.join(dir, 'helm'));
  return ['helm', ...new Set(goBins)];
}

async function probe(command: string): Promise<HelmBinary | undefined> {
  const result = await run(command, ['version', '--template', '{{.Version}}'], { timeoutMs: 20_000 });
  if (result.code !== 0) return undefined;
  const version = result.stdout.trim();
  return /^v3\./.test(version) ? { command, version } : undefined;
}

let cached: Promise<HelmLookup> | undefined;

/** The helm to render charts with, or why there is none (the releases are then listed as skipped). */
export function findHelm(): Promise<HelmLookup> {
  cached ??= (async (): Promise<HelmLookup> => {
    const tried = candidates();
    for (const command of tried) {
      const helm = await probe(command);
      if (helm) return { found: true, helm };
    }
    const explicit = process.env.HELM ? `HELM=${process.env.HELM} is not a working Helm 3` : 'helm (Helm 3) is not on PATH nor in ~/go/bin';
    return { found: false, reason: `${explicit}; install it (go install helm.sh/helm/v3/cmd/helm@v3.22.0) to render Helm charts` };
  })();
  return cached;
}

/** For tests that change PATH or HELM between runs. */
export function forgetHelm(): void {
  cached = undefined;
}
