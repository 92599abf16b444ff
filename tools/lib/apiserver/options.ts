// The command line of tools/verify-apiserver.ts, parsed into plain data (no files, no processes).
import { parseArgs } from 'node:util';

export const CACHE_ENV = 'VERIFY_APISERVER_CACHE';

export interface VerifyOptions {
  /** The repository whose clusters are rendered (default: this repository). */
  root?: string;
  clusters: string[];
  /** The folder holding <version>/kube-apiserver and <version>/etcd; undefined: the default (see binaries.ts). */
  cache?: string;
  /** Build missing binaries (the default); false: exit 2 naming the command that builds them. */
  build: boolean;
  /** Only build the binaries, verify nothing. */
  buildOnly: boolean;
  offline: boolean;
  chartCache?: string;
  help: boolean;
}

export class UsageError extends Error {}

export const VERIFY_HELP = `Usage: npm run verify:apiserver -- [options]

Builds kube-apiserver and etcd of the Kubernetes release in tools/apiserver/kube-apiserver/go.mod (the
release policies/config.yaml judges the clusters by), starts them on 127.0.0.1, installs the CRDs the
clusters use, and asks the real API server about every rendered object (server-side apply, dry run,
strict field validation) and one Pod per pod template (real admission: PodSecurity, LimitRanger,
ResourceQuota). Prints accepted / rejected / warned per cluster.

Options:
  --cluster NAME     verify only this cluster (repeatable)
  --root DIR         the repository to render (default: this one)
  --cache DIR        where the binaries are built and kept (default: ~/.cache/gitops-checker/apiserver,
                     or $${CACHE_ENV}); each release in its own <version>/ folder
  --no-build         do not build missing binaries: exit 2 and say how to build them
  --build-only       build the binaries (if missing) and stop
  --offline          render Helm charts only from the chart cache, as tools/check.ts --offline
  --chart-cache DIR  the Helm chart cache, as tools/check.ts --chart-cache
  --help

Exit codes: 0 every object and pod accepted, 1 something rejected, 2 the verification could not run.
`;

export function parseVerifyArgs(argv: string[], env: NodeJS.ProcessEnv = {}): VerifyOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        cluster: { type: 'string', multiple: true },
        root: { type: 'string' },
        cache: { type: 'string' },
        'no-build': { type: 'boolean' },
        'build-only': { type: 'boolean' },
        offline: { type: 'boolean' },
        'chart-cache': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const values = parsed.values;
  if (values['no-build'] && values['build-only']) throw new UsageError('--no-build and --build-only contradict each other: --build-only builds');
  for (const name of ['cache', 'root', 'chart-cache'] as const) {
    if (values[name] !== undefined && values[name]!.trim() === '') throw new UsageError(`--${name} needs a folder`);
  }
  const cache = values.cache ?? (env[CACHE_ENV] ? env[CACHE_ENV] : undefined);
  return {
    root: values.root,
    clusters: values.cluster ?? [],
    cache,
    build: !values['no-build'],
    buildOnly: values['build-only'] ?? false,
    offline: values.offline ?? false,
    chartCache: values['chart-cache'],
    help: values.help ?? false,
  };
}
