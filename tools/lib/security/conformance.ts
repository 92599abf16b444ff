// Runs the pod-security-admission fixture corpus through the evaluator and compares verdicts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { evaluatePodSecurity, overridingChecks, POD_SECURITY_CHECKS } from './pod-security.ts';
import type { EvaluatedLevel } from './version.ts';

/** ../shared/corpus/pod-security-admission, seen from the repository root. */
export const DEFAULT_CORPUS_DIR = resolve(fileURLToPath(new URL('../../../', import.meta.url)), '../shared/corpus/pod-security-admission');

export interface FixtureResult {
  level: EvaluatedLevel;
  minor: number;
  verdict: 'pass' | 'fail';
  /** File name without .yaml, e.g. runasnonroot0. */
  fixture: string;
  /** The check a fail fixture exercises, lower case as in its name (runasnonroot). */
  expectedCheck?: string;
  reported: string[];
  agrees: boolean;
  reason?: string;
}

export interface ConformanceRow {
  level: EvaluatedLevel;
  version: string;
  fixtures: number;
  agree: number;
  disagree: number;
  disagreements: FixtureResult[];
}

export function corpusVersions(corpusDir: string, level: EvaluatedLevel): number[] {
  const dir = join(corpusDir, level);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => /^v1\.(\d+)$/.exec(name)?.[1])
    .filter((m): m is string => m !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** A fail fixture agrees when its check, or the restricted check that replaces it at that version, is reported. */
export function namedCheckReported(expected: string, reported: string[], level: EvaluatedLevel, minor: number): boolean {
  const named = POD_SECURITY_CHECKS.find((c) => c.id.toLowerCase() === expected);
  if (!named) return false;
  const accepted = level === 'restricted' ? [named.id, ...overridingChecks(named.id, minor)] : [named.id];
  return reported.some((id) => accepted.includes(id));
}

export function runFixture(file: string, level: EvaluatedLevel, minor: number, verdict: 'pass' | 'fail'): FixtureResult {
  const fixture = file.replace(/^.*[\\/]/, '').replace(/\.yaml$/, '');
  const pod = parse(readFileSync(file, 'utf8')) ?? {};
  const violations = evaluatePodSecurity({ metadata: pod.metadata ?? {}, spec: pod.spec ?? {} }, level, minor);
  const reported = [...new Set(violations.map((v) => v.check))];
  if (verdict === 'pass') {
    const agrees = violations.length === 0;
    return { level, minor, verdict, fixture, reported, agrees, reason: agrees ? undefined : `expected no violations, got ${reported.join(', ')}` };
  }
  const expectedCheck = fixture.replace(/\d+$/, '');
  if (violations.length === 0) return { level, minor, verdict, fixture, expectedCheck, reported, agrees: false, reason: 'expected a violation, got none' };
  const agrees = namedCheckReported(expectedCheck, reported, level, minor);
  return { level, minor, verdict, fixture, expectedCheck, reported, agrees, reason: agrees ? undefined : `expected ${expectedCheck}, got ${reported.join(', ')}` };
}

export function runConformance(corpusDir: string, level: EvaluatedLevel, minor: number): ConformanceRow {
  const results: FixtureResult[] = [];
  for (const verdict of ['pass', 'fail'] as const) {
    const dir = join(corpusDir, level, `v1.${minor}`, verdict);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
      results.push(runFixture(join(dir, name), level, minor, verdict));
    }
  }
  const disagreements = results.filter((r) => !r.agrees);
  return { level, version: `v1.${minor}`, fixtures: results.length, agree: results.length - disagreements.length, disagree: disagreements.length, disagreements };
}

export function describeDisagreement(r: FixtureResult): string {
  return `${r.level}/v1.${r.minor}/${r.verdict}/${r.fixture}.yaml: ${r.reason}`;
}
