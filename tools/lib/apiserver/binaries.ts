// Where kube-apiserver and etcd are built and kept, which release they are, and how they are built (go build from
// the two small modules in tools/apiserver/).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MODULES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../apiserver');
export const KUBE_APISERVER_MODULE = path.join(MODULES_DIR, 'kube-apiserver');
export const ETCD_MODULE = path.join(MODULES_DIR, 'etcd');

/** The version a module requires, from its go.mod text: `require k8s.io/kubernetes v1.33.13` (one line or a block). */
export function requiredVersion(goMod: string, module: string): string | undefined {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const single = new RegExp(`^require\\s+${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  if (single) return single[1];
  for (const block of goMod.matchAll(/^require\s*\(([\s\S]*?)^\)/gm)) {
    const line = new RegExp(`^\\s*${escaped}\\s+(v\\S+)`, 'm').exec(block[1]);
    if (line) return line[1];
  }
  return undefined;
}

export interface Release {
  /** v1.33.13 */
  kubernetes: string;
  /** v3.5.21 */
  etcd: string;
}

export function releaseOfModules(kubeApiserverModule = KUBE_APISERVER_MODULE, etcdModule = ETCD_MODULE): Release {
  const kubernetes = requiredVersion(fs.readFileSync(path.join(kubeApiserverModule, 'go.mod'), 'utf8'), 'k8s.io/kubernetes');
  const etcd = requiredVersion(fs.readFileSync(path.join(etcdModule, 'go.mod'), 'utf8'), 'go.etcd.io/etcd/server/v3');
  if (!kubernetes || !etcd) throw new Error(`${MODULES_DIR}: go.mod files without the k8s.io/kubernetes or go.etcd.io/etcd/server/v3 requirement`);
  return { kubernetes, etcd };
}

/** "1.33" of "v1.33.13". */
export function minorOf(version: string): string {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  return match ? `${match[1]}.${match[2]}` : version;
}

/** The folder holding one folder per release: --cache, else $VERIFY_APISERVER_CACHE, else $XDG_CACHE_HOME or ~/.cache. */
export function cacheRoot(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (explicit) return path.resolve(explicit);
  const base = env.XDG_CACHE_HOME || path.join(home, '.cache');
  return path.join(base, 'gitops-checker', 'apiserver');
}

export interface Binaries {
  dir: string;
  kubeApiserver: string;
  etcd: string;
}

export function binariesIn(cacheRootDir: string, release: Release): Binaries {
  const dir = path.join(cacheRootDir, release.kubernetes);
  return { dir, kubeApiserver: path.join(dir, 'kube-apiserver'), etcd: path.join(dir, 'etcd') };
}

const isExecutable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

export function missingBinaries(binaries: Binaries): string[] {
  return [binaries.etcd, binaries.kubeApiserver].filter((file) => !isExecutable(file));
}

export function missingBinariesMessage(binaries: Binaries, release: Release): string {
  const names = missingBinaries(binaries).map((file) => path.basename(file)).join(' and ');
  return `${names} ${names.includes(' and ') ? 'are' : 'is'} not built in ${binaries.dir} (Kubernetes ${release.kubernetes}, etcd ${release.etcd}): ` +
    `run \`npm run verify:apiserver -- --build-only\` once (a cold build takes about 25 minutes on 2 cores; it is cached after)`;
}

/** What upstream's build stamps into component-base, so /version answers the release and not v0.0.0-master. */
export function versionLdflags(kubernetes: string): string {
  const [major, minor] = minorOf(kubernetes).split('.');
  const pkg = 'k8s.io/component-base/version';
  return [`-X ${pkg}.gitVersion=${kubernetes}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`, `-X ${pkg}.gitTreeState=clean`].join(' ');
}

/** The go commands that build both binaries; each runs in its module folder. */
export function buildCommands(binaries: Binaries, release: Release): { cwd: string; output: string; args: string[] }[] {
  return [
    { cwd: ETCD_MODULE, output: binaries.etcd, args: ['build', '-o', binaries.etcd, '.'] },
    {
      cwd: KUBE_APISERVER_MODULE,
      output: binaries.kubeApiserver,
      args: ['build', '-ldflags', versionLdflags(release.kubernetes), '-o', binaries.kubeApiserver, 'k8s.io/kubernetes/cmd/kube-apiserver'],
    },
  ];
}

/** Builds what is missing with the go on PATH, streaming go's output to `log`; resolves to an error message or undefined. */
export async function buildMissing(binaries: Binaries, release: Release, log: (line: string) => void): Promise<string | undefined> {
  fs.mkdirSync(binaries.dir, { recursive: true });
  const missing = new Set(missingBinaries(binaries));
  for (const command of buildCommands(binaries, release)) {
    if (!missing.has(command.output)) continue;
    const name = path.basename(command.output);
    log(`building ${name} (cd ${path.relative(process.cwd(), command.cwd) || '.'} && go ${command.args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')})`);
    const started = Date.now();
    // -mod=mod: go.sum is committed, but a go that wants to add a line to it must not stop the build
    const code = await new Promise<number>((resolve) => {
      const child = spawn('go', command.args, { cwd: command.cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOFLAGS: [process.env.GOFLAGS, '-mod=mod'].filter(Boolean).join(' ') } });
      child.on('error', () => resolve(127));
      child.on('exit', (status) => resolve(status ?? 1));
    });
    if (code === 127) return 'go is not on PATH: install Go 1.24 or newer (https://go.dev/dl/) to build kube-apiserver and etcd';
    if (code !== 0) return `go build of ${name} failed (exit ${code}); go's output is above`;
    log(`built ${command.output} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  return undefined;
}
