#!/usr/bin/env -S npx tsx
// npm run verify:apiserver: every rendered object of every cluster, and one Pod per pod template, against a real
// kube-apiserver and etcd built from Go modules. Exit 0 all accepted, 1 something rejected, 2 could not run.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseVerifyArgs, UsageError, VERIFY_HELP, type VerifyOptions } from './lib/apiserver/options.ts';
import { binariesIn, buildMissing, cacheRoot, minorOf, missingBinaries, missingBinariesMessage, releaseOfModules, type Release } from './lib/apiserver/binaries.ts';
import { ADMISSION_PLUGINS, makeWorkDir, startApiServer, startEtcd, stopProcess, type Etcd } from './lib/apiserver/control-plane.ts';
import { verifyCluster, type ClusterVerification } from './lib/apiserver/verify-cluster.ts';
import { exitCodeOf, formatVerification } from './lib/apiserver/table.ts';
import { runCheck, UnknownClusterError } from './lib/render/run-check.ts';
import { clusterSettings, ConfigError, loadConfig, type CheckConfig } from './lib/core/config.ts';
import { loadRules } from './lib/render/load-rules.ts';
import { KustomizeMissingError } from './lib/render/kustomize.ts';
import { CRD_BUNDLES_DIR, type CrdBundle } from './lib/schema/crd-catalog.ts';

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

class CannotRun extends Error {}

function bundles(): CrdBundle[] {
  if (!fs.existsSync(CRD_BUNDLES_DIR)) return [];
  return fs.readdirSync(CRD_BUNDLES_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(fs.readFileSync(path.join(CRD_BUNDLES_DIR, f), 'utf8')) as CrdBundle);
}

/** Every cluster must run the minor release that is built, or the verdicts would be another release's. */
function checkReleases(config: CheckConfig, clusters: string[], release: Release): void {
  const wrong = clusters
    .map((name) => ({ name, version: clusterSettings(config, name).kubernetesVersion }))
    .filter((c) => c.version && minorOf(c.version) !== minorOf(release.kubernetes));
  if (wrong.length) {
    throw new CannotRun(`${wrong.map((c) => `cluster ${c.name} runs Kubernetes ${c.version}`).join(', ')} (policies/config.yaml), but tools/apiserver/kube-apiserver/go.mod builds ${release.kubernetes}: change the require and replace lines there to that release`);
  }
}

async function verify(options: VerifyOptions): Promise<number> {
  const release = releaseOfModules();
  const binaries = binariesIn(cacheRoot(options.cache), release);
  if (missingBinaries(binaries).length > 0) {
    if (!options.build) throw new CannotRun(missingBinariesMessage(binaries, release));
    const failed = await buildMissing(binaries, release, (line) => console.error(line));
    if (failed) throw new CannotRun(failed);
  }
  if (options.buildOnly) {
    console.log(`kube-apiserver ${release.kubernetes} and etcd ${release.etcd} are in ${binaries.dir}`);
    return 0;
  }
  const root = path.resolve(options.root ?? REPOSITORY);
  const rendering = await runCheck({ root, clusters: options.clusters, rules: [], helm: { offline: options.offline, chartCache: options.chartCache } });
  const clusters = rendering.clusters.map((c) => c.rendered);
  const config = loadConfig(root, undefined, await loadRules());
  checkReleases(config, clusters.map((c) => c.name), release);
  const renderProblems = clusters.flatMap((c) => c.problems.map((p) => `cluster ${c.name}: ${p.message}${p.location ? ` (${p.location.file}:${p.location.line})` : ''}`));

  console.log(`kube-apiserver ${release.kubernetes} and etcd ${release.etcd} from ${binaries.dir}`);
  console.log(`admission ${ADMISSION_PLUGINS.join(', ')} and the release's defaults; objects: server-side apply, dryRun=All, fieldValidation=Strict; pods: dry-run create`);
  for (const c of clusters) {
    for (const s of c.skipped.filter((s) => s.kind !== 'entry point')) console.log(`${c.name}: not verified: ${s.name}: ${s.reason}`);
  }
  console.log('');

  const workDir = makeWorkDir();
  let etcd: Etcd | undefined;
  const results: ClusterVerification[] = [];
  try {
    etcd = await startEtcd(binaries, workDir);
    for (const [index, cluster] of clusters.entries()) {
      const started = Date.now();
      // one empty store per cluster: what one cluster creates (namespaces, CRDs) never decides another's verdicts
      const server = await startApiServer(binaries, etcd, workDir, `/registry-${index}-${cluster.name.replace(/[^a-z0-9-]/gi, '-')}`);
      try {
        results.push(await verifyCluster(server.client, {
          cluster: cluster.name,
          objects: cluster.objects.map((o) => o.object),
          engines: [...new Set(cluster.entryPoints.map((e) => e.engine))],
          bundles: bundles(),
          workloadKinds: config.workloadKinds,
        }));
      } finally {
        server.client.close();
        await stopProcess(server.process);
      }
      if (process.stderr.isTTY) console.error(`verified ${cluster.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    if (etcd) await stopProcess(etcd.process);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  process.stdout.write(formatVerification(results));
  if (renderProblems.length) {
    console.error(`\nthese clusters did not render completely, so they were not fully verified:\n${renderProblems.map((p) => `  ${p}`).join('\n')}`);
    return 2;
  }
  return exitCodeOf(results);
}

async function main(): Promise<number> {
  let options: VerifyOptions;
  try {
    options = parseVerifyArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`verify-apiserver: ${error.message}\n\n${VERIFY_HELP}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(VERIFY_HELP);
    return 0;
  }
  try {
    return await verify(options);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`verify-apiserver: ${error.file}${error.line ? `:${error.line}` : ''}: ${error.message}`);
      return 2;
    }
    if (error instanceof CannotRun || error instanceof UnknownClusterError || error instanceof KustomizeMissingError) {
      console.error(`verify-apiserver: ${error.message}`);
      return 2;
    }
    console.error(`verify-apiserver: could not run: ${(error as Error).stack ?? error}`);
    return 2;
  }
}

process.exitCode = await main();
