// RuleTester: ESLint-style valid/invalid YAML cases per rule, run through the real evaluate + locate stages.
import { describe, it, expect } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ClusterSettings, Finding, K8sObject, RenderedObject } from './types.ts';
import type { Rule } from './rule.ts';
import { describeRef } from './rule.ts';
import { defaultConfig } from './config.ts';
import { checkCluster, withDefaultNamespaces } from './check-cluster.ts';
import { memorySourceReader } from './locate.ts';
import { formatPath } from './yaml-source.ts';

export const CASE_FILE = 'case.yaml';

export interface RuleTestCase {
  name: string;
  yaml: string;
  options?: Record<string, unknown>;
  cluster?: Partial<Omit<ClusterSettings, 'name'>>;
}

export interface ExpectedFinding {
  /** "Kind namespace/name" or "Kind name" for cluster-scoped objects. */
  object?: string;
  /** Display path: spec.template.spec.containers[0].image */
  path?: string;
  line: number;
  message?: string | RegExp;
  rule?: string;
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

/** Runs one rule over YAML text through checkCluster, as a real run would: defaulting, locate and waivers included. */
export function runRule(rule: Rule<any>, testCase: RuleTestCase): Finding[] {
  const config = defaultConfig();
  if (testCase.options) config.rules[rule.id] = { options: testCase.options };
  const settings: ClusterSettings = {
    name: 'test',
    kubernetesVersion: testCase.cluster?.kubernetesVersion ?? config.defaults.kubernetesVersion,
    podSecurityMinimum: testCase.cluster?.podSecurityMinimum ?? 'restricted',
    capacity: testCase.cluster?.capacity,
  };
  return checkCluster({
    objects: objectsFromYaml(testCase.yaml),
    settings,
    config,
    rules: [rule],
    sources: memorySourceReader({ [CASE_FILE]: testCase.yaml }),
    today: new Date(),
  }).findings;
}

function summarize(f: Finding) {
  return {
    rule: f.rule,
    object: f.object ? describeRef(f.object) : undefined,
    path: f.path ? formatPath(f.path) : undefined,
    line: f.location?.line,
    message: f.message,
  };
}

export function ruleTester(rule: Rule<any>, cases: { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] }): void {
  describe(rule.id, () => {
    it('has documentation', () => {
      expect(rule.description.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.howToFix.length).toBeGreaterThan(20);
    });
    it('has valid and invalid cases', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
    });
    describe('valid', () => {
      for (const testCase of cases.valid) {
        it(testCase.name, () => {
          expect(runRule(rule, testCase).map(summarize)).toEqual([]);
        });
      }
    });
    describe('invalid', () => {
      for (const testCase of cases.invalid) {
        it(testCase.name, () => {
          const actual = runRule(rule, testCase)
            .map(summarize)
            .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
          const expected = testCase.findings.map((e) => ({
            rule: e.rule ?? rule.id,
            object: e.object,
            path: e.path,
            line: e.line,
            message: e.message === undefined ? expect.any(String) : typeof e.message === 'string' ? expect.stringContaining(e.message) : expect.stringMatching(e.message),
          }));
          expect(actual).toEqual(expected);
        });
      }
    });
  });
}
