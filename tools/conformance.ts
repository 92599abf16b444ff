// `npm run conformance`: the pod-security-admission fixture corpus through the Pod Security evaluator, as a table.
// Usage: tsx tools/conformance.ts [--corpus <dir>] [--version v1.N|all]   (default: every version in the corpus)
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePolicyVersion, MAX_POLICY_MINOR } from './lib/security/pod-security.ts';
import {
  DEFAULT_CORPUS_DIR, corpusVersions, describeDisagreement, runConformance, type ConformanceRow,
} from './lib/security/conformance.ts';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function table(rows: ConformanceRow[]): string {
  const header = ['level', 'version', 'fixtures', 'agree', 'disagree'];
  const cells = rows.map((r) => [r.level, r.version, String(r.fixtures), String(r.agree), String(r.disagree)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => values.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function main(): number {
  const corpusDir = resolve(argument('--corpus') ?? DEFAULT_CORPUS_DIR);
  if (!existsSync(corpusDir)) {
    console.error(`conformance: corpus not found at ${corpusDir} (pass --corpus <dir>)`);
    return 2;
  }
  const requested = argument('--version') ?? 'all';
  const onlyMinor = requested === 'all' ? undefined : parsePolicyVersion(requested);
  if (onlyMinor === undefined && requested !== 'all') {
    console.error(`conformance: --version must be v1.<minor>, latest or all, not "${requested}"`);
    return 2;
  }
  const rows: ConformanceRow[] = [];
  for (const level of ['baseline', 'restricted'] as const) {
    for (const minor of corpusVersions(corpusDir, level)) {
      const wanted = onlyMinor === 'latest' ? MAX_POLICY_MINOR : onlyMinor;
      if (wanted === undefined || wanted === minor) rows.push(runConformance(corpusDir, level, minor));
    }
  }
  if (rows.length === 0) {
    console.error(`conformance: no fixtures for version ${requested} under ${corpusDir}`);
    return 2;
  }
  console.log(table(rows));
  const fixtures = rows.reduce((n, r) => n + r.fixtures, 0);
  const agree = rows.reduce((n, r) => n + r.agree, 0);
  console.log(`\ntotal: ${fixtures} fixtures, ${agree} agree, ${fixtures - agree} disagree (${((100 * agree) / fixtures).toFixed(1)}%)`);
  const disagreements = rows.flatMap((r) => r.disagreements);
  if (disagreements.length > 0) {
    console.log('\ndisagreements:');
    for (const d of disagreements) console.log(`  ${describeDisagreement(d)}`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
