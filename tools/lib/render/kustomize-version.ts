// Which kustomize rendered: the binary's path and version, for the json report and --verbose.
import fs from 'node:fs';
import path from 'node:path';
import type { KustomizeInfo } from '../core/types.ts';
import type { KustomizeBinary } from './kustomize.ts';
import { run } from './process.ts';

const VERSION = /v?\d+\.\d+\.\d+[\w.+-]*/;

/** The program PATH resolves `command` to, as the shell would; undefined when it is not there. */
export function resolveOnPath(command: string, envPath = process.env.PATH ?? ''): string | undefined {
  if (command.includes('/')) return path.resolve(command);
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

const withV = (version: string) => (version.startsWith('v') ? version : `v${version}`);

/** `kustomize version` prints `v5.6.0` (v5) or `{Version:kustomize/v4.5.7 ...}` (v4); kubectl reports both its own and its kustomize's. */
async function versionsOf(binary: KustomizeBinary): Promise<{ kustomize?: string; kubectl?: string }> {
  if (binary.args[0] === 'kustomize') {
    const stdout = binary.versionOutput ?? (await run(binary.command, ['version', '--client', '-o', 'json'], { timeoutMs: 20_000 })).stdout;
    try {
      const parsed = JSON.parse(stdout) as { clientVersion?: { gitVersion?: string }; kustomizeVersion?: string };
      return { kustomize: parsed.kustomizeVersion, kubectl: parsed.clientVersion?.gitVersion };
    } catch {
      return {};
    }
  }
  const found = VERSION.exec(binary.versionOutput ?? (await run(binary.command, ['version'], { timeoutMs: 20_000 })).stdout);
  return { kustomize: found ? withV(found[0]) : undefined };
}

let cached: Map<string, Promise<KustomizeInfo>> = new Map();

export function describeKustomize(binary: KustomizeBinary): Promise<KustomizeInfo> {
  const key = `${binary.command}\0${binary.args.join(' ')}`;
  let info = cached.get(key);
  if (!info) {
    info = (async () => {
      const versions = await versionsOf(binary);
      const resolved = resolveOnPath(binary.command) ?? binary.command;
      const version = versions.kustomize ?? 'unknown';
      const description =
        binary.args[0] === 'kustomize'
          ? `kubectl kustomize (${resolved}: kubectl ${versions.kubectl ?? 'unknown'}, kustomize ${version})`
          : `${resolved} ${binary.args.join(' ')} (kustomize ${version})`;
      return { command: binary.display, path: resolved, version, ...(versions.kubectl ? { kubectlVersion: versions.kubectl } : {}), description };
    })();
    cached.set(key, info);
  }
  return info;
}

/** For tests that swap binaries between calls. */
export function forgetKustomizeVersions(): void {
  cached = new Map();
}
