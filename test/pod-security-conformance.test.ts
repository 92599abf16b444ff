import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { MAX_POLICY_MINOR } from '../tools/lib/security/pod-security.ts';
import { parse, stringify } from 'yaml';
import {
  DEFAULT_CORPUS_DIR, corpusVersions, describeDisagreement, namedCheckReported, runConformance, runFixture,
} from '../tools/lib/security/conformance.ts';
import { runRule } from '../tools/lib/core/rule-tester.ts';
import podSecurity from '../policies/security-pod-security.ts';

const corpusPresent = existsSync(DEFAULT_CORPUS_DIR);
if (!corpusPresent) {
  console.warn(`pod-security conformance skipped: corpus not found at ${DEFAULT_CORPUS_DIR}`);
}

describe.skipIf(!corpusPresent)('pod-security-admission conformance corpus', () => {
  for (const level of ['baseline', 'restricted'] as const) {
    const minors = corpusPresent ? corpusVersions(DEFAULT_CORPUS_DIR, level) : [];

    it(`${level}: the corpus holds the newest policy version the evaluator knows (v1.${MAX_POLICY_MINOR})`, () => {
      expect(minors).toContain(MAX_POLICY_MINOR);
    });

    for (const minor of minors) {
      it(`${level} v1.${minor}: every fixture gets the expected verdict and names its check`, () => {
        const row = runConformance(DEFAULT_CORPUS_DIR, level, minor);
        expect(row.fixtures).toBeGreaterThan(0);
        expect(row.disagreements.map(describeDisagreement), `${row.disagree} of ${row.fixtures} disagree`).toEqual([]);
      });
    }
  }

  // The README promises that a restricted pass pod also passes baseline.
  it('every restricted pass fixture also passes baseline at the same version', () => {
    const failures: string[] = [];
    for (const minor of corpusVersions(DEFAULT_CORPUS_DIR, 'restricted')) {
      const dir = join(DEFAULT_CORPUS_DIR, 'restricted', `v1.${minor}`, 'pass');
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
        const result = runFixture(join(dir, name), 'baseline', minor, 'pass');
        if (!result.agrees) failures.push(describeDisagreement(result));
      }
    }
    expect(failures).toEqual([]);
  });

  // The same fixtures through the rule: the namespace's labels choose the level and version, as they would in a cluster.
  for (const level of ['baseline', 'restricted'] as const) {
    it(`${level} v1.${MAX_POLICY_MINOR}: security/pod-security agrees with every fixture`, () => {
      const failures: string[] = [];
      for (const verdict of ['pass', 'fail'] as const) {
        const dir = join(DEFAULT_CORPUS_DIR, level, `v1.${MAX_POLICY_MINOR}`, verdict);
        for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
          const pod = parse(readFileSync(join(dir, name), 'utf8'));
          pod.metadata = { ...pod.metadata, namespace: 'fixtures' };
          const namespace = {
            apiVersion: 'v1', kind: 'Namespace',
            metadata: { name: 'fixtures', labels: { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': `v1.${MAX_POLICY_MINOR}` } },
          };
          const findings = runRule(podSecurity, {
            name,
            yaml: `${stringify(namespace)}---\n${stringify(pod)}`,
            cluster: { kubernetesVersion: `1.${MAX_POLICY_MINOR}`, podSecurityMinimum: 'privileged' },
          });
          const reported = findings.map((f) => /^(\w+) \(Pod Security /.exec(f.message)?.[1] ?? f.message);
          const agrees = verdict === 'pass'
            ? findings.length === 0
            : findings.length > 0 && namedCheckReported(name.replace(/\d*\.yaml$/, ''), reported, level, MAX_POLICY_MINOR);
          if (!agrees) failures.push(`${level}/v1.${MAX_POLICY_MINOR}/${verdict}/${name}: ${reported.join(', ') || 'no findings'}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
