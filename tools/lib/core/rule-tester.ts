// RuleTester: ESLint-style valid/invalid YAML cases per rule, run through checkCluster as a real run is, and as
// strict as ESLint's: exact messages (messageId + data, or the full text), line and column (from ⟦markers⟧ in the
// YAML), optional fix and related places, options validated against the rule's schema, a frozen graph, no duplicates.
import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Ajv } from 'ajv';
import type { ClusterSettings, Finding, K8sObject, RenderedObject } from './types.ts';
import type { MessageData, ReportDescriptor, Rule } from './rule.ts';
import { describeRef, interpolate, placeholdersOf } from './rule.ts';
import { defaultConfig } from './config.ts';
import { checkCluster, withDefaultNamespaces } from './check-cluster.ts';
import { memorySourceReader } from './locate.ts';
import { formatPath } from './yaml-source.ts';
import { stripMarkers } from './case-markers.ts';
export { withMarkers } from './case-markers.ts';

export const CASE_FILE = 'case.yaml';

export interface RuleTestCase {
  name: string;
  /** The case's YAML; `⟦name⟧` markers (stripped before parsing) give the positions findings must point at. */
  yaml: string;
  options?: Record<string, unknown>;
  cluster?: Partial<Omit<ClusterSettings, 'name'>>;
}

/** Where a finding or related place must point: a marker in the case YAML, or (older cases) a line and optional column. */
export interface ExpectedPosition {
  /** Name of a `⟦name⟧` marker in the case YAML. */
  at?: string;
  line?: number;
  column?: number;
  /** The finding has no source position (a finding about the cluster as a whole). */
  unlocated?: true;
}

export interface ExpectedRelated extends ExpectedPosition {
  message: string;
  /** "Kind namespace/name"; checked when given. */
  object?: string;
}

export interface ExpectedFinding extends ExpectedPosition {
  /** "Kind namespace/name" or "Kind name" for cluster-scoped objects; omitted means the finding names no object. */
  object?: string;
  /** Display path: spec.template.spec.containers[0].image; omitted means the finding has no path. */
  path?: string;
  /** An entry of the rule's messages table; with `data`, the message must be exactly that template filled in. */
  messageId?: string;
  data?: MessageData;
  /** The full message text, compared exactly (for rules without a messages table, and older cases). */
  message?: string;
  rule?: string;
  /** Compared exactly when given. */
  fix?: string;
  /** Compared exactly, in order, when given. */
  related?: ExpectedRelated[];
}

export interface InvalidRuleTestCase extends RuleTestCase {
  findings: ExpectedFinding[];
}

/** Parses case YAML into rendered objects the way the render stage would hand them over. */
export function objectsFromYaml(yaml: string, file = CASE_FILE): RenderedObject[] {
  const objects = parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o && typeof o === 'object' && typeof o.kind === 'string')
    .map((object) => {
      object.metadata ??= {};
      return { object, origin: { file, transformedBy: [] }, entryPoint: file };
    });
  // graph-level tests build a ClusterGraph from these directly, so they get the defaulting checkCluster applies
  return withDefaultNamespaces(objects);
}

/** Freezes a value and everything reachable from it, so a rule that writes to the graph throws. */
export function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value as object)) deepFreeze((value as any)[key], seen);
  return Object.freeze(value);
}

export interface CaseRun {
  findings: Finding[];
  /** What the rule passed to report(), in the order of `findings` (the data behind each message). */
  reports: ReportDescriptor[];
}

function runCase(rule: Rule<any>, testCase: RuleTestCase, yaml: string): CaseRun {
  const config = defaultConfig();
  if (testCase.options) config.rules[rule.id] = { options: testCase.options };
  const settings: ClusterSettings = {
    name: 'test',
    kubernetesVersion: testCase.cluster?.kubernetesVersion ?? config.defaults.kubernetesVersion,
    podSecurityMinimum: testCase.cluster?.podSecurityMinimum ?? 'restricted',
    capacity: testCase.cluster?.capacity,
    ...(testCase.cluster?.provides ? { provides: testCase.cluster.provides } : {}),
  };
  // Defaulted here already, so checkCluster keeps these very objects and the graph it builds holds them frozen.
  const objects = deepFreeze(objectsFromYaml(yaml));
  const reports: ReportDescriptor[] = [];
  const recording: Rule<any> = { ...rule, check: (ctx) => rule.check({ ...ctx, report: (d) => (reports.push(d), ctx.report(d)) }) };
  const { findings } = checkCluster({ objects, settings, config, rules: [recording], sources: memorySourceReader({ [CASE_FILE]: yaml }), today: new Date() });
  return { findings, reports };
}

/** Runs one rule over YAML text (markers stripped) through checkCluster, as a real run would: defaulting, locate and waivers included. */
export function runRule(rule: Rule<any>, testCase: RuleTestCase): Finding[] {
  return runCase(rule, testCase, stripMarkers(testCase.yaml).text).findings;
}

const ajv = new Ajv({ allErrors: true, strict: false });

/** Why a case's options do not fit the rule's optionsSchema, or undefined when they do. */
export function optionsProblem(rule: Rule<any>, options: Record<string, unknown> | undefined): string | undefined {
  if (options === undefined) return undefined;
  const validate = ajv.compile(rule.optionsSchema ?? { type: 'object', additionalProperties: false });
  if (validate(options)) return undefined;
  return validate.errors!.map((e) => `${e.instancePath || '(options)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` "${e.params.additionalProperty}"` : ''}`).join('; ');
}

type Position = { line?: number; column?: number };

function resolvePosition(where: ExpectedPosition, markers: Map<string, { line: number; column: number }>, used: Set<string>, label: string): Position {
  if (where.unlocated) {
    if (where.at !== undefined || where.line !== undefined || where.column !== undefined) throw new Error(`${label}: an unlocated finding has no at, line or column`);
    return { line: undefined, column: undefined };
  }
  if (where.at !== undefined) {
    if (where.line !== undefined || where.column !== undefined) throw new Error(`${label}: give either at (a marker) or line/column, not both`);
    const marker = markers.get(where.at);
    if (!marker) throw new Error(`${label}: no marker ⟦${where.at}⟧ in the case YAML`);
    used.add(where.at);
    return { ...marker };
  }
  // older cases wrote `line: undefined` for a finding with no position; that is `unlocated: true`
  if (where.line === undefined && Object.prototype.hasOwnProperty.call(where, 'line')) return { line: undefined, column: undefined };
  if (where.line === undefined) throw new Error(`${label}: say where it points, with at: '<marker>' (or line)`);
  return { line: where.line, column: where.column };
}

function expectedMessage(rule: Rule<any>, e: ExpectedFinding, label: string): { messageId?: string; message: string } {
  if ((e.messageId === undefined) === (e.message === undefined)) throw new Error(`${label}: give exactly one of messageId or message`);
  if (e.message !== undefined) {
    if (typeof e.message !== 'string') throw new Error(`${label}: message must be the exact text (a string)`);
    if (e.data !== undefined) throw new Error(`${label}: data goes with messageId, not message`);
    return { message: e.message };
  }
  const template = rule.messages?.[e.messageId!];
  if (template === undefined) throw new Error(`${label}: rule ${rule.id} has no message "${e.messageId}"`);
  const needed = placeholdersOf(template);
  const missing = needed.filter((p) => !(p in (e.data ?? {})));
  if (missing.length) throw new Error(`${label}: message "${e.messageId}" needs data for ${missing.join(', ')}`);
  const extra = Object.keys(e.data ?? {}).filter((k) => !needed.includes(k));
  if (extra.length) throw new Error(`${label}: message "${e.messageId}" has no placeholder ${extra.join(', ')}`);
  return { messageId: e.messageId, message: interpolate(template, e.data) };
}

interface Shown {
  rule: string;
  object?: string;
  path?: string;
  line?: number;
  column?: number;
  messageId?: string;
  message: string;
  fix?: string;
  related?: { message: string; object?: string; line?: number; column?: number }[];
}

const byPlace = (a: Shown, b: Shown) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.message.localeCompare(b.message);

function show(f: Finding): Shown {
  return {
    rule: f.rule,
    object: f.object ? describeRef(f.object) : undefined,
    path: f.path ? formatPath(f.path) : undefined,
    line: f.location?.line,
    column: f.location?.column,
    messageId: f.messageId,
    message: f.message,
  };
}

/** Serialises a case for the duplicate check: what the rule sees, not its name. */
const caseKey = (c: RuleTestCase) => JSON.stringify([stripMarkers(c.yaml).text, c.options ?? null, c.cluster ?? null]);
const casesSeen = new Map<string, { names: Set<string>; keys: Map<string, string> }>();

/** Cases that repeat an earlier case's name or content (for this rule, across every ruleTester call in the file). */
export function duplicatesOf(ruleId: string, cases: RuleTestCase[]): string[] {
  const seen = casesSeen.get(ruleId) ?? { names: new Set<string>(), keys: new Map<string, string>() };
  casesSeen.set(ruleId, seen);
  const problems: string[] = [];
  for (const c of cases) {
    if (seen.names.has(c.name)) problems.push(`two cases are named "${c.name}"`);
    seen.names.add(c.name);
    const key = caseKey(c);
    const earlier = seen.keys.get(key);
    if (earlier !== undefined) problems.push(`case "${c.name}" repeats case "${earlier}" (same YAML, options and cluster)`);
    else seen.keys.set(key, c.name);
  }
  return problems;
}

function recordCase(rule: Rule<any>, testCase: RuleTestCase, yaml: string, run: CaseRun): void {
  const file = process.env.RULETESTER_RECORD;
  if (!file) return;
  const dataOf = (f: Finding, i: number) => {
    const needed = placeholdersOf(rule.messages?.[f.messageId ?? ''] ?? '');
    return Object.fromEntries(Object.entries(run.reports[i]?.data ?? {}).filter(([k]) => needed.includes(k)));
  };
  const findings = run.findings.map((f, i) => ({ ...show(f), data: dataOf(f, i), fix: f.fix }));
  fs.appendFileSync(file, JSON.stringify({ test: expect.getState().testPath, rule: rule.id, name: testCase.name, yaml, findings }) + '\n');
}

/** Runs a valid case and fails (throws) when the rule reports anything. Returns the run for the caller's bookkeeping. */
export function verifyValidCase(rule: Rule<any>, testCase: RuleTestCase): CaseRun {
  const problem = optionsProblem(rule, testCase.options);
  if (problem) throw new Error(`options do not fit ${rule.id}'s optionsSchema: ${problem}`);
  const { text, markers } = stripMarkers(testCase.yaml);
  if (markers.size) throw new Error(`a valid case has nothing to point at; remove ${[...markers.keys()].map((m) => `⟦${m}⟧`).join(', ')}`);
  const run = runCase(rule, testCase, text);
  recordCase(rule, testCase, text, run);
  expect(run.findings.map(show)).toEqual([]);
  return run;
}

/** Runs an invalid case and fails (throws) unless the rule reports exactly the expected findings. */
export function verifyInvalidCase(rule: Rule<any>, testCase: InvalidRuleTestCase): CaseRun {
  const problem = optionsProblem(rule, testCase.options);
  if (problem) throw new Error(`options do not fit ${rule.id}'s optionsSchema: ${problem}`);
  if (testCase.findings.length === 0) throw new Error('an invalid case expects at least one finding');
  const { text, markers } = stripMarkers(testCase.yaml);
  const run = runCase(rule, testCase, text);
  recordCase(rule, testCase, text, run);
  const plain = run.findings.filter((f) => f.rule === rule.id && rule.messages && f.messageId === undefined);
  expect(plain.map((f) => f.message), `${rule.id} has a messages table: report { messageId, data }`).toEqual([]);

  const used = new Set<string>();
  const expected: Shown[] = testCase.findings.map((e, i) => {
    const label = `finding ${i + 1}`;
    const { messageId, message } = expectedMessage(rule, e, label);
    const shown: Shown = { rule: e.rule ?? rule.id, object: e.object, path: e.path, ...resolvePosition(e, markers, used, label), messageId, message };
    if (e.fix !== undefined) shown.fix = e.fix;
    if (e.related) {
      shown.related = e.related.map((r, j) => ({ message: r.message, object: r.object, ...resolvePosition(r, markers, used, `${label}, related ${j + 1}`) }));
    }
    return shown;
  });
  const unused = [...markers.keys()].filter((m) => !used.has(m));
  if (unused.length) throw new Error(`markers no finding points at: ${unused.map((m) => `⟦${m}⟧`).join(', ')}`);

  const actual = run.findings.map((f) => ({ shown: show(f), finding: f })).sort((a, b) => byPlace(a.shown, b.shown));
  // Older cases state a line without a column, or a message without its id: those are taken as found.
  const pool = [...actual];
  for (const e of expected) {
    const twin = pool.find(({ shown: a }) => a.line === e.line && a.message === e.message && (e.column === undefined || a.column === e.column));
    if (twin) pool.splice(pool.indexOf(twin), 1);
    if (e.column === undefined && e.line !== undefined) e.column = twin?.shown.column;
    if (e.messageId === undefined) e.messageId = twin?.shown.messageId;
  }
  expected.sort(byPlace);
  // fix and related are compared only where the case states them.
  const compared = actual.map(({ shown, finding }, i) => {
    const e = expected[i];
    const out: Shown = { ...shown };
    if (e?.fix !== undefined) out.fix = finding.fix;
    if (e?.related !== undefined) {
      out.related = (finding.related ?? []).map((r, j) => {
        const wanted = e.related![j];
        return {
          message: r.message,
          object: wanted?.object !== undefined && r.object ? describeRef(r.object) : undefined,
          line: r.location?.line,
          column: wanted && wanted.line !== undefined && wanted.column === undefined ? undefined : r.location?.column,
        };
      });
    }
    return out;
  });
  expect(compared).toEqual(expected);
  return run;
}

/**
 * Rules that landed while messages tables were introduced and still report plain `message` strings. Their cases
 * run (messages compared exactly); converting one means a messages table, then deleting its id here. Only shrinks.
 */
export const PLAIN_MESSAGE_RULES: ReadonlySet<string> = new Set([
  'probes/distinct-liveness',
  'probes/required',
  'rbac/no-wildcards',
  'rbac/sensitive-permissions',
  'rbac/service-account-token',
  'references/external-secret',
  'references/hpa-replicas',
  'references/hpa-target',
  'references/monitor-target',
  'references/network-policy-selector',
  'references/pdb-allows-eviction',
  'references/pdb-selector',
  'references/rbac-binding',
  'references/route-backend',
  'references/service-selector',
  'references/statefulset-service',
  'references/workload-refs',
  'schema/deprecated-api',
  'schema/strict',
  'security/runtime-socket',
  'security/secret-literal',
  'workloads/duplicate-env',
  'workloads/job-cleanup',
  'workloads/replica-spread',
]);

export function ruleTester(rule: Rule<any>, cases: { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] }): void {
  describe(rule.id, () => {
    const duplicates = duplicatesOf(rule.id, [...cases.valid, ...cases.invalid]);
    const idsSeen = new Set<string>();
    let invalidRun = 0;
    it('has documentation, and defaultOptions that fit its optionsSchema', () => {
      expect(rule.description.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.howToFix.length).toBeGreaterThan(20);
      expect(rule.howToFix, 'waiving is documented once, for every rule; keep it out of howToFix').not.toMatch(/to waive/i);
      expect(optionsProblem(rule, rule.defaultOptions as Record<string, unknown> | undefined), 'defaultOptions fit optionsSchema').toBeUndefined();
    });
    it('has a messages table (report { messageId, data })', () => {
      if (PLAIN_MESSAGE_RULES.has(rule.id)) {
        expect(rule.messages, `${rule.id} has a messages table now: delete it from PLAIN_MESSAGE_RULES`).toBeUndefined();
        return;
      }
      expect(Object.keys(rule.messages ?? {}), `${rule.id}: give the rule messages: { id: 'text with {{placeholders}}' }`).not.toEqual([]);
    });
    it('has valid and invalid cases, none repeated', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
      expect(duplicates).toEqual([]);
    });
    describe('valid', () => {
      for (const testCase of cases.valid) it(testCase.name, () => void verifyValidCase(rule, testCase));
    });
    describe('invalid', () => {
      for (const testCase of cases.invalid) {
        it(testCase.name, () => {
          const run = verifyInvalidCase(rule, testCase);
          invalidRun += 1;
          for (const f of run.findings) if (f.messageId) idsSeen.add(f.messageId);
        });
      }
    });
    it('produces every message of its messages table in some invalid case', (ctx) => {
      if (invalidRun < cases.invalid.length) ctx.skip();
      const unproduced = Object.keys(rule.messages ?? {}).filter((id) => !idsSeen.has(id));
      expect(unproduced, 'add an invalid case for each').toEqual([]);
    });
  });
}
