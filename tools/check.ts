#!/usr/bin/env -S npx tsx
// Entry point: npx tsx tools/check.ts [PATH...] [options]. Exit 0 clean, 1 blocking findings, 2 the check could not run.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Report } from './lib/core/types.ts';
import { ConfigError, configuredRuleIds, loadConfig } from './lib/core/config.ts';
import { KustomizeMissingError } from './lib/render/kustomize.ts';
import { runCheck, TOOL_NAME, TOOL_VERSION, UnknownClusterError, type CheckOptions } from './lib/render/run-check.ts';
import { loadRules, ruleIdsOf } from './lib/render/load-rules.ts';
import { exitOnSignals } from './lib/render/process.ts';
import { defaultRenderCacheDir, RenderCache } from './lib/render/render-cache.ts';
import { BUILTIN_RULES } from './lib/core/builtin-rules.ts';
import { BaseRevisionError, checkAgainstBase } from './lib/render/base-revision.ts';
import { DumpError } from './lib/render/dump.ts';
import { formatText } from './lib/report/text.ts';
// what only some commands need (other formats, --explain, merge) is imported where it is used: start-up pays for the default check only
import type { DocumentedRule } from './lib/docs/rule-docs.ts';
import { nothingChecked } from './lib/report/empty-run.ts';
import { parseCalendarDate } from './lib/core/waiver-validation.ts';
import { runRepositoryWebUrl, ruleDocUrl } from './lib/docs/rule-links.ts';
import { unknownRulesMessage } from './lib/docs/unknown-rule.ts';
import { formatVerbose } from './lib/report/verbose.ts';
import { FAIL_ON, quietReport, withFailOn, type FailOn } from './lib/report/fail-on.ts';
import { clustersOfShard, parseShard, ShardSpecError, shardLabel, type Shard } from './lib/render/shard.ts';
import { MergeError, mergeReports, readReportFile } from './lib/report/merge-reports.ts';
import { clusterNames } from './lib/render/discover.ts';
import { emptyShardReport } from './lib/render/empty-shard.ts';

const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown', 'unix', 'compact', 'junit'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `Usage: npx tsx tools/check.ts [PATH...] [options]
       npx tsx tools/check.ts merge REPORT.json... [--format F] [--output FILE] [--report F=FILE]

Renders what each cluster receives (clusters/<name>/ -> Flux / Argo CD entry points -> kustomize)
and checks it against the policies in policies/. With PATH arguments, checks those kustomization
folders or YAML files/folders instead, one pseudo-cluster each.

Options:
  --cluster NAME       check only this cluster (repeatable)
  --format FORMAT      text (default), json, sarif, github, markdown, unix, compact, junit
                       (unix: path:line:col: message [Severity/rule]; compact: ESLint's compact;
                       junit: JUnit XML, one testsuite per cluster, one testcase per rule)
  --output FILE        write the report to FILE instead of standard output
  --report FORMAT=FILE also write FORMAT to FILE from the same run (repeatable), e.g.
                       --format github --report json=report.json --report sarif=report.sarif
  --config FILE        configuration file (default: policies/config.yaml)
  --base REF           also check the merge base of REF and HEAD; findings become new, unchanged
                       or fixed, and only new blocking findings fail the run
  --diff               with --base: print each cluster's rendered diff (objects added, removed,
                       changed, as unified YAML diffs; Secret values redacted) before the findings
  --connectivity       print who may talk to whom, per cluster (json: clusters[].connectivity)
  --chart-cache DIR    where Helm charts are pulled to and reused (default: $POLICY_CHECK_CHART_CACHE,
                       else ~/.cache/policy-check/charts)
  --offline            render Helm charts only from the chart cache; never pull
  --render-cache DIR   keep renders of unchanged entry points here (default: $POLICY_CHECK_RENDER_CACHE,
                       else ~/.cache/policy-check/renders; POLICY_CHECK_RENDER_CACHE=off turns it off)
  --no-render-cache    render everything, keep nothing
  --clear-render-cache empty the render cache before this run
  --rule ID            run only this rule (repeatable; default: every rule enabled in config)
  --skip-rule ID       do not run this rule (repeatable)
  --fail-on LEVEL      error (default): errors fail the run; warning: warnings fail it too
  --quiet              list only the findings that fail the run; no skipped or waived lines
  --verbose            also print (on stderr) which kustomize rendered, and per cluster its render
                       time and entry points
  --today YYYY-MM-DD   judge waiver expiry as of this date (default: today)
  --render-timeout S   stop a render after S seconds (default: 90 s plus 30 s per MiB it reads,
                       more for thousands of documents: kustomize slows down faster than linearly)
  --dump DIR           write what each entry point renders to DIR/<cluster>/<entry point>.yaml,
                       to diff against "flux build kustomization --dry-run" or "argocd app manifests"
  --shard K/N          check only shard K of N (1-based): the clusters sorted by name and dealt
                       round-robin; a shard with no cluster writes an empty report and exits 0;
                       join the shards' --format json reports with \`merge\`
  --allow-empty        exit 0 even when nothing was checked (no clusters, or 0 objects rendered);
                       without it such a run is exit 2
  --list-rules         list the rules with their default severity
  --explain RULE       what a rule checks, why, how to fix and how to waive
  --help               this help
  --version            the checker's version

merge joins the json reports of --shard (or --cluster) runs of one commit and config into one report,
in any --format; its exit code is the merged report's.

Exit codes: 0 nothing blocking, 1 blocking findings, 2 the check could not run.`;

class UsageError extends Error {}

interface CliOptions {
  paths: string[];
  clusters: string[];
  format: Format;
  output?: string;
  extraReports: { format: Format; file: string }[];
  config?: string;
  base?: string;
  diff: boolean;
  connectivity: boolean;
  offline: boolean;
  chartCache?: string;
  renderCache?: string | false;
  clearRenderCache: boolean;
  allowEmpty: boolean;
  shard?: Shard;
  renderTimeoutSeconds?: number;
  dump?: string;
  today?: Date;
  rules: string[];
  skipRules: string[];
  failOn: FailOn;
  quiet: boolean;
  verbose: boolean;
  listRules: boolean;
  explain?: string;
  help: boolean;
  version: boolean;
}

export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        cluster: { type: 'string', multiple: true },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        report: { type: 'string', multiple: true },
        config: { type: 'string' },
        base: { type: 'string' },
        diff: { type: 'boolean' },
        connectivity: { type: 'boolean' },
        offline: { type: 'boolean' },
        'chart-cache': { type: 'string' },
        'render-cache': { type: 'string' },
        'no-render-cache': { type: 'boolean' },
        'clear-render-cache': { type: 'boolean' },
        'allow-empty': { type: 'boolean' },
        shard: { type: 'string' },
        'render-timeout': { type: 'string' },
        dump: { type: 'string' },
        today: { type: 'string' },
        rule: { type: 'string', multiple: true },
        'skip-rule': { type: 'string', multiple: true },
        'fail-on': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        verbose: { type: 'boolean' },
        'list-rules': { type: 'boolean' },
        explain: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  const format = (v.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format "${v.format}"; use one of ${FORMATS.join(', ')}`);
  const today = v.today === undefined ? undefined : parseCalendarDate(v.today);
  if (v.today !== undefined && !today) throw new UsageError(`--today needs a real calendar date as YYYY-MM-DD, got "${v.today}"`);
  const extraReports = (v.report ?? []).map((spec) => {
    const match = spec.match(/^([a-z]+)=(.+)$/);
    if (!match || !FORMATS.includes(match[1] as Format)) throw new UsageError(`--report needs FORMAT=FILE with FORMAT one of ${FORMATS.join(', ')}, got "${spec}"`);
    return { format: match[1] as Format, file: match[2] };
  });
  const failOn = (v['fail-on'] ?? 'error') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on needs one of ${FAIL_ON.join(', ')}, got "${v['fail-on']}"`);
  const renderTimeout = v['render-timeout'];
  if (renderTimeout !== undefined && !/^[1-9][0-9]{0,5}$/.test(renderTimeout)) throw new UsageError(`--render-timeout needs a whole number of seconds (1 or more), got "${renderTimeout}"`);
  if (v.diff && v.base === undefined) throw new UsageError('--diff compares with a base revision: give --base REF too, e.g. --base origin/main --diff');
  if (parsed.positionals.length > 0 && v.cluster?.length) throw new UsageError('use either PATH arguments or --cluster, not both');
  if (v['no-render-cache'] && v['render-cache'] !== undefined) throw new UsageError('use either --render-cache DIR or --no-render-cache, not both');
  if (v.shard !== undefined && parsed.positionals.length > 0) throw new UsageError('--shard splits the clusters of the repository; it does not take PATH arguments');
  let shard: Shard | undefined;
  try {
    shard = v.shard === undefined ? undefined : parseShard(v.shard);
  } catch (error) {
    if (error instanceof ShardSpecError) throw new UsageError(error.message);
    throw error;
  }
  return {
    paths: parsed.positionals,
    clusters: v.cluster ?? [],
    format,
    output: v.output,
    extraReports,
    config: v.config,
    base: v.base,
    diff: v.diff ?? false,
    connectivity: v.connectivity ?? false,
    offline: v.offline ?? false,
    chartCache: v['chart-cache'],
    ...(v['no-render-cache'] ? { renderCache: false as const } : v['render-cache'] !== undefined ? { renderCache: path.resolve(v['render-cache']) } : {}),
    clearRenderCache: v['clear-render-cache'] ?? false,
    allowEmpty: v['allow-empty'] ?? false,
    ...(shard ? { shard } : {}),
    ...(renderTimeout !== undefined ? { renderTimeoutSeconds: Number(renderTimeout) } : {}),
    ...(v.dump !== undefined ? { dump: v.dump } : {}),
    today: today ? new Date(today.getTime() + 12 * 60 * 60 * 1000) : undefined,
    rules: v.rule ?? [],
    skipRules: v['skip-rule'] ?? [],
    failOn,
    quiet: v.quiet ?? false,
    verbose: v.verbose ?? false,
    listRules: v['list-rules'] ?? false,
    explain: v.explain,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}

async function ruleDocs(): Promise<DocumentedRule[]> {
  return [...(await loadRules()), ...BUILTIN_RULES];
}

async function listRules(): Promise<string> {
  const docs = await ruleDocs();
  const width = Math.max(...docs.map((d) => d.id.length));
  return docs.map((d) => `${d.id.padEnd(width)}  ${d.severity.padEnd(7)}  ${d.description}`).join('\n') + '\n';
}

async function explain(id: string, root: string): Promise<string> {
  const { optionRows, ruleDocPath } = await import('./lib/docs/rule-docs.ts');
  const { waiverHelpText } = await import('./lib/docs/waiving.ts');
  const docs = await ruleDocs();
  const doc = docs.find((d) => d.id === id);
  if (!doc) throw new UsageError(unknownRulesMessage([id], docs.map((d) => d.id)));
  const webUrl = runRepositoryWebUrl(process.env, root);
  const docUrl = webUrl ? ruleDocUrl(webUrl, doc.id) : undefined;
  const defaultText = (value: unknown) => {
    const json = JSON.stringify(value) ?? 'none';
    return json.length > 100 ? `in ${ruleDocPath(doc.id)}` : json;
  };
  const options = optionRows(doc).map((o) => `${o.name} (${o.type}, default ${defaultText(o.defaultValue)}): ${o.description}`);
  return [
    `${doc.id}  (default severity: ${doc.severity})`,
    '',
    doc.description,
    '',
    'Why',
    indent(doc.rationale),
    '',
    'How to fix',
    indent(doc.howToFix),
    '',
    ...(options.length ? ['Options', indent(options.join('\n')), ''] : []),
    'How to waive',
    indent(waiverHelpText(doc.id)),
    '',
    `More: ${ruleDocPath(doc.id)}${docUrl ? ` (${docUrl})` : ''}`,
  ].join('\n') + '\n';
}

const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');

/** A single status line on a terminal, rewritten in place; nothing when output is piped. */
function progressLine(): { update(message: string): void; clear(): void } {
  if (!process.stderr.isTTY || process.env.CI) return { update() {}, clear() {} };
  let shown = false;
  return {
    update(message) {
      process.stderr.write(`\r\x1b[2K${message}…`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

interface RenderSettings {
  colour: boolean;
  connectivity: boolean;
  diff: boolean;
  quiet: boolean;
  failOn: FailOn;
  root: string;
}

async function render(report: Report, format: Format, settings: RenderSettings): Promise<string> {
  const { colour, connectivity, diff, quiet, failOn, root } = settings;
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'sarif':
      return (await import('./lib/report/sarif.ts')).formatSarif(report, await ruleDocs(), { repositoryUrl: runRepositoryWebUrl(process.env, root) });
    case 'unix':
      return (await import('./lib/report/unix.ts')).formatUnix(report);
    case 'compact':
      return (await import('./lib/report/compact.ts')).formatCompact(report);
    case 'junit':
      return (await import('./lib/report/junit.ts')).formatJunit(report, failOn);
    case 'github':
      return (await import('./lib/report/github.ts')).formatGithub(report);
    case 'markdown':
      return (await import('./lib/report/markdown.ts')).formatMarkdown(report, root);
    default:
      return (connectivity ? (await import('./lib/report/connectivity.ts')).formatConnectivityReport(report) : '') + formatText(report, { colour, diff, quiet });
  }
}

/** A report destination must be a file in a folder that exists; the checker does not create folders. */
function checkWritable(file: string): void {
  const folder = path.dirname(path.resolve(file));
  if (!fs.existsSync(folder)) throw new UsageError(`cannot write ${file}: the folder ${path.dirname(file)} does not exist`);
  if (!fs.statSync(folder).isDirectory()) throw new UsageError(`cannot write ${file}: ${path.dirname(file)} is not a folder`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`cannot write ${file}: it is a folder`);
}

function writeReport(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The repository root: the nearest folder up from `start` with clusters/, policies/config.yaml or .git. */
export function findRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (['clusters', 'policies/config.yaml', '.git'].some((marker) => fs.existsSync(path.join(dir, marker)))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}

interface MergeCliOptions {
  files: string[];
  format: Format;
  output?: string;
  extraReports: { format: Format; file: string }[];
  allowEmpty: boolean;
}

function parseMergeCli(argv: string[]): MergeCliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        report: { type: 'string', multiple: true },
        'allow-empty': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`merge: ${(error as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const format = (v.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`merge: unknown --format "${v.format}"; use one of ${FORMATS.join(', ')}`);
  const extraReports = (v.report ?? []).map((spec) => {
    const match = spec.match(/^([a-z]+)=(.+)$/);
    if (!match || !FORMATS.includes(match[1] as Format)) throw new UsageError(`merge: --report needs FORMAT=FILE with FORMAT one of ${FORMATS.join(', ')}, got "${spec}"`);
    return { format: match[1] as Format, file: match[2] };
  });
  if (parsed.positionals.length === 0) throw new UsageError('merge needs the json reports to join, e.g. merge shard-1.json shard-2.json');
  return { files: parsed.positionals, format, output: v.output, extraReports, allowEmpty: v['allow-empty'] ?? false };
}

/** check.ts merge: shard reports in, one report out; exit 0/1 as the merged report, 2 when they cannot be merged. */
async function mergeMain(argv: string[], root: string): Promise<number> {
  try {
    const cli = parseMergeCli(argv);
    if (cli === 'help') {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    for (const file of [cli.output, ...cli.extraReports.map((r) => r.file)]) {
      if (file !== undefined) checkWritable(file);
    }
    const validate = (await import('./lib/report/report-schema.ts')).compileReportValidator();
    const report = mergeReports(cli.files.map((file) => readReportFile(file, validate)));
    const empty = cli.allowEmpty ? undefined : nothingChecked(report, false);
    if (empty) throw new UsageError(`merge: ${empty}`);
    const settings: RenderSettings = { colour: !cli.output && process.stdout.isTTY === true && !process.env.NO_COLOR, connectivity: false, diff: false, quiet: false, failOn: 'error', root };
    const text = await render(report, cli.format, settings);
    if (cli.output) writeReport(cli.output, text);
    else process.stdout.write(text);
    for (const extra of cli.extraReports) writeReport(extra.file, await render(report, extra.format, { ...settings, colour: false }));
    return report.summary.blocking > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof MergeError || error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${TOOL_NAME}: ${error.message}${error instanceof UsageError && !error.message.startsWith('merge: nothing') ? ' (see --help)' : ''}\n`);
      return 2;
    }
    process.stderr.write(`${TOOL_NAME}: internal error, please report it: ${(error as Error).stack ?? error}\n`);
    return 2;
  }
}

export async function main(argv: string[], root = findRoot(process.cwd())): Promise<number> {
  if (argv[0] === 'merge') return mergeMain(argv.slice(1), root);
  let cli: CliOptions;
  try {
    cli = parseCli(argv);
  } catch (error) {
    process.stderr.write(`${TOOL_NAME}: ${(error as Error).message} (see --help)\n`);
    return 2;
  }
  try {
    const answer = cli.help
      ? HELP + '\n'
      : cli.version
        ? `${TOOL_NAME} ${TOOL_VERSION}\n`
        : cli.listRules
          ? await listRules()
          : cli.explain
            ? await explain(cli.explain, root)
            : undefined;
    if (answer !== undefined) {
      process.stdout.write(answer);
      return 0;
    }

    // refuse an unwritable destination before spending minutes on the renders
    for (const file of [cli.output, ...cli.extraReports.map((r) => r.file)]) {
      if (file !== undefined) checkWritable(file);
    }
    const progress = progressLine();
    let rules;
    let knownRules;
    if (cli.rules.length > 0 || cli.skipRules.length > 0) {
      const ids = ruleIdsOf();
      const engine = cli.skipRules.filter((id) => BUILTIN_RULES.some((b) => b.id === id));
      if (engine.length) throw new UsageError(`--skip-rule ${engine[0]}: the engine's own findings cannot be skipped (a check that did not run would look clean); waive the finding instead, see --explain ${engine[0]}`);
      const unknown = [...cli.rules, ...cli.skipRules].filter((id) => !ids.includes(id));
      if (unknown.length) throw new UsageError(unknownRulesMessage([...new Set(unknown)], ids));
      const wanted = ids.filter((id) => (cli.rules.length === 0 || cli.rules.includes(id)) && !cli.skipRules.includes(id));
      // only the rules that run, and those the config sets options for (it is validated against them), are imported
      const configured = configuredRuleIds(root, cli.config).filter((id) => ids.includes(id));
      knownRules = await loadRules(undefined, [...new Set([...wanted, ...configured])]);
      rules = knownRules.filter((r) => wanted.includes(r.id));
    }
    const options: CheckOptions = {
      rules,
      ...(knownRules ? { knownRules } : {}),
      root,
      paths: cli.paths,
      clusters: cli.clusters,
      configPath: cli.config,
      today: cli.today,
      renderTimeoutSeconds: cli.renderTimeoutSeconds,
      // with --base, connectivity is only worked out for what shows its changes: the PR comment (markdown) and the json it is rendered from
      connectivity: cli.connectivity || (cli.base !== undefined && [cli.format, ...cli.extraReports.map((r) => r.format)].some((f) => f === 'markdown' || f === 'json')),
      helm: { offline: cli.offline, ...(cli.chartCache ? { chartCache: cli.chartCache } : {}) },
      ...(cli.renderCache !== undefined ? { renderCache: cli.renderCache } : {}),
      onProgress: progress.update,
    };
    if (cli.clearRenderCache) {
      const dir = cli.renderCache === false ? undefined : (cli.renderCache ?? defaultRenderCacheDir());
      if (dir) new RenderCache(dir).clear();
    }
    let shardClusters: string[] | undefined;
    if (cli.shard) {
      const names = clusterNames(root);
      const wanted = cli.clusters.length > 0 ? cli.clusters : names;
      // an unknown --cluster is left in, so runCheck says which clusters exist
      shardClusters = wanted.every((n) => names.includes(n)) ? clustersOfShard(wanted, cli.shard) : wanted;
      options.clusters = shardClusters;
    }
    let report: Report;
    let renderMs = new Map<string, number>();
    if (cli.shard && shardClusters!.length === 0) {
      // a matrix with more jobs than clusters must stay green: the empty shard says so and gives merge its report
      const known = await loadRules();
      const all = rules ?? known;
      loadConfig(root, cli.config, known, { today: cli.today });
      report = await emptyShardReport({ root, configPath: cli.config, shard: cli.shard, base: cli.base, rules: all.map((r) => ({ id: r.id, severity: r.severity, description: r.description })) });
      const count = cli.clusters.length > 0 ? cli.clusters.length : clusterNames(root).length;
      process.stderr.write(`${TOOL_NAME}: nothing to check in shard ${shardLabel(cli.shard)}: ${count} cluster${count === 1 ? '' : 's'} over ${cli.shard.total} shards leave this one empty (exit 0; its empty report keeps merge complete)\n`);
    } else {
      try {
        // only this revision is dumped, never the --base one
        const head = runCheck({ ...options, ...(cli.dump ? { dump: path.resolve(cli.dump) } : {}) });
        if (cli.base) {
          progress.update(`checking this revision and the merge base of ${cli.base}`);
          report = await checkAgainstBase(head, options, cli.base, (message) => process.stderr.write(`${TOOL_NAME}: ${message}\n`));
        } else {
          report = (await head).report;
        }
        if (cli.verbose) renderMs = new Map((await head).clusters.map((c) => [c.rendered.name, c.renderMs]));
      } finally {
        progress.clear();
      }
      if (cli.shard) report.shard = cli.shard;
    }
    report = withFailOn(report, cli.failOn);
    if (cli.verbose) process.stderr.write(formatVerbose(report, renderMs));
    const empty = cli.allowEmpty || (cli.shard && report.clusters.length === 0) ? undefined : nothingChecked(report, cli.paths.length > 0);
    if (empty) throw new UsageError(empty);
    const colour = !cli.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
    const shown = cli.quiet ? quietReport(report, cli.failOn) : report;
    const settings: RenderSettings = { colour, connectivity: cli.connectivity, diff: cli.diff, quiet: cli.quiet, failOn: cli.failOn, root };
    const text = await render(shown, cli.format, settings);
    if (cli.output) writeReport(cli.output, text);
    else process.stdout.write(text);
    for (const extra of cli.extraReports) writeReport(extra.file, await render(shown, extra.format, { ...settings, colour: false, connectivity: false }));
    return report.summary.blocking > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof KustomizeMissingError || error instanceof UsageError || error instanceof UnknownClusterError || error instanceof BaseRevisionError || error instanceof DumpError) {
      process.stderr.write(`${TOOL_NAME}: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`${TOOL_NAME}: internal error, please report it: ${(error as Error).stack ?? error}\n`);
    return 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Ctrl-C or a CI cancel: every render's process group goes with the checker, then exit 130 / 143
  exitOnSignals((signal) => process.stderr.write(`\n${TOOL_NAME}: stopped by ${signal}; every render was stopped with it\n`));
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
