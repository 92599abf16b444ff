// A rule that throws on one object keeps its verdict on every other object: evaluate finds the culprit(s).
import { describe, expect, it } from 'vitest';
import { defineRule } from '../tools/lib/core/rule.ts';
import { defaultConfig } from '../tools/lib/core/config.ts';
import { checkCluster } from '../tools/lib/core/check-cluster.ts';
import { memorySourceReader } from '../tools/lib/core/locate.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';
import { bareDeployment } from './helpers/manifests.ts';

const docs = (names: string[]) => names.map((name) => bareDeployment(name, name, 'nginx:1.27')).join('---\n');

/** Reports every Deployment; reads `spec.template.spec.containers[0].image.length`, which throws where `crashOn` says. */
const fragile = (crashOn: (names: string[], name: string) => boolean) =>
  defineRule({
    id: 'test/fragile',
    severity: 'error',
    description: 'reports every Deployment',
    rationale: 'test',
    howToFix: 'test',
    check({ graph, report }) {
      const names = graph.byKind('Deployment').map((d) => d.metadata.name!);
      for (const deployment of graph.byKind('Deployment')) {
        if (crashOn(names, deployment.metadata.name!)) throw new TypeError(`cannot read ${deployment.metadata.name}`);
        report({ object: deployment, message: `saw ${deployment.metadata.name}` });
      }
    },
  });

function evaluate(rule: ReturnType<typeof fragile>, names: string[]) {
  const yaml = docs(names);
  const settings = { name: 'test', kubernetesVersion: '1.33', podSecurityMinimum: 'restricted' as const };
  const { findings } = checkCluster({ objects: objectsFromYaml(yaml), settings, rules: [rule], config: defaultConfig(), sources: memorySourceReader({ 'case.yaml': yaml }), today: new Date() });
  return findings.map(
    (f) => `${f.rule} ${f.object ? `${f.object.kind} ${f.object.name}` : '-'} ${f.location ? `${f.location.file}:${f.location.line}` : '-'} ${f.message}`,
  );
}

describe('a rule that throws', () => {
  it('on one object: policy/rule-failed names that object at its line, and the findings on the others stay', () => {
    const findings = evaluate(fragile((_, name) => name === 'b'), ['a', 'b', 'c']);
    expect(findings).toEqual([
      'test/fragile Deployment a case.yaml:1 saw a',
      'test/fragile Deployment c case.yaml:23 saw c',
      "policy/rule-failed Deployment b case.yaml:12 rule test/fragile failed on Deployment default/b: cannot read b; the rule's findings on the other objects are kept",
    ]);
  });

  it('on two objects: both are named', () => {
    const findings = evaluate(fragile((_, name) => name === 'a' || name === 'd'), ['a', 'b', 'c', 'd', 'e']);
    expect(findings.filter((f) => f.startsWith('policy/'))).toEqual([
      "policy/rule-failed Deployment a case.yaml:1 rule test/fragile failed on Deployment default/a: cannot read a; the rule's findings on the other objects are kept",
      "policy/rule-failed Deployment d case.yaml:34 rule test/fragile failed on Deployment default/d: cannot read d; the rule's findings on the other objects are kept",
    ]);
    expect(findings.filter((f) => f.startsWith('test/')).map((f) => f.split(' ').pop())).toEqual(['b', 'c', 'e']);
  });

  it('only when two objects meet: the later one is named, and the rest is checked', () => {
    const findings = evaluate(fragile((names, name) => name === 'c' && names.includes('a')), ['a', 'b', 'c', 'd']);
    expect(findings).toEqual([
      'test/fragile Deployment a case.yaml:1 saw a',
      'test/fragile Deployment b case.yaml:12 saw b',
      'test/fragile Deployment d case.yaml:34 saw d',
      "policy/rule-failed Deployment c case.yaml:23 rule test/fragile failed on Deployment default/c: cannot read c; the rule's findings on the other objects are kept",
    ]);
  });

  it('on an empty cluster, or on more objects than a few: one cluster-wide policy/rule-failed, as before', () => {
    const always = defineRule({ ...fragile(() => false), check: () => { throw new Error('bug in the rule'); } });
    expect(evaluate(always, ['a'])).toEqual(['policy/rule-failed - - rule test/fragile failed on this cluster: bug in the rule']);
    const names = Array.from({ length: 12 }, (_, i) => `d${i}`);
    const findings = evaluate(fragile(() => true), names);
    expect(findings.filter((f) => f.startsWith('policy/rule-failed - '))).toEqual(['policy/rule-failed - - rule test/fragile failed on this cluster: cannot read d10']);
    expect(findings.filter((f) => f.startsWith('policy/rule-failed Deployment'))).toHaveLength(10);
    expect(findings.filter((f) => f.startsWith('test/'))).toEqual([]);
    expect(findings[0]).toBe('policy/rule-failed Deployment d0 case.yaml:1 rule test/fragile failed on Deployment default/d0: cannot read d0; the rule checked nothing on this cluster');
  });
});
