// RuleTester: ESLint-style valid/invalid YAML cases per rule, run through the real evaluate + locate stages.
import { describe, it, expect } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ClusterSettings, Finding, K8sObject, RenderedObject } from './types.ts';
import type { Rule } from './rule.ts';
import { describeRef } from './rule.ts';
import { ClusterGraph, isClusterScoped } from './graph.ts';
import { defaultConfig } from './config.ts';
import { evaluateCluster } from './evaluate.ts';
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
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o && typeof o === 'object' && typeof o.kind === 'string')
    .map((object) => {
      object.metadata ??= {};
      if (!object.metadata.namespace && !isClusterScoped(object)) object.metadata.namespace = 'default';
      return { object, origin: { file, transformedBy: [] }, entryPoint: file };
    });
}

/** Runs one rule over YAML text and returns its located findings (waivers not applied). */
export function runRule(rule: Rule<any>, testCase: RuleTestCase): Finding[] {
  const config = defaultConfig();
  if (testCase.options) config.rules[rule.id] = { options: testCase.options };
  const cluster: ClusterSettings = {
    name: 'test',
    kubernetesVersion: testCase.cluster?.kubernetesVersion ?? config.defaults.kubernetesVersion,
    podSecurityMinimum: testCase.cluster?.podSecurityMinimum ?? 'restricted',
    capacity: testCase.cluster?.capacity,
  };
  const graph = new ClusterGraph('test', objectsFromYaml(testCase.yaml));
  return evaluateCluster({ cluster, graph, rules: [rule], config, read: memorySourceReader({ [CASE_FILE]: testCase.yaml }) });
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
