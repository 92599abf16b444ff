// Fuzz (issues 16 and 19): mutants of this repository's own rendered objects never crash the check or a rule,
// and every finding is well-formed and located inside the input. Fixed seed and bounded runs; `npm run fuzz`
// runs the same property longer with a random seed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../tools/lib/core/types.ts';
import { defineRule } from '../tools/lib/core/rule.ts';
import { findingDefects, loadFuzzBase, objectsAsYaml, type FuzzBase } from '../tools/lib/fuzz/in-memory-check.ts';
import { checkMutant, mutantProperty, reproducer } from '../tools/lib/fuzz/property.ts';
import { applyMutant, mutantArbitrary } from '../tools/lib/fuzz/mutations.ts';
import { REPO_ROOT, runCli } from './helpers/cli.ts';

const SEED = 1619;
const IN_MEMORY_RUNS = 100;
const CLI_RUNS = 3;

let base: FuzzBase;

beforeAll(async () => {
  // two clusters with different overlays keep the render to a few seconds; `npm run fuzz` uses all four
  base = await loadFuzzBase(REPO_ROOT, ['k3s', 'production']);
}, 120_000);

describe('fuzz: mutated rendered objects', () => {
  it('the rendered repository itself is clean, so every finding below comes from a mutation', () => {
    expect(base.clusters.map((c) => c.name)).toEqual(['k3s', 'production']);
    expect(base.clusters.every((c) => c.objects.length > 50)).toBe(true);
    for (const cluster of base.clusters) expect(checkMutant(base, { cluster: base.clusters.indexOf(cluster), mutations: [] }).defects).toEqual([]);
  });

  it(`${IN_MEMORY_RUNS} mutants through the in-memory pipeline: no throw, no policy/rule-failed, every finding located in the input`, () => {
    fc.assert(mutantProperty(base), { seed: SEED, numRuns: IN_MEMORY_RUNS });
    // the mutations are not no-ops: most mutants make the checker say something
    const outcomes = fc.sample(mutantArbitrary, { seed: SEED, numRuns: 20 }).map((mutant) => checkMutant(base, mutant));
    expect(outcomes.filter((o) => o.findings > 0).length).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it('the property fails on a rule that crashes, and shrinks the failure to one mutation with a reproducer', () => {
    const nullHater = defineRule({
      id: 'test/null-hater',
      severity: 'error',
      description: 'throws on any null field',
      rationale: 'test',
      howToFix: 'test',
      check({ graph }) {
        for (const object of graph.all()) if (JSON.stringify(object).includes('null')) throw new TypeError('null again');
      },
    });
    const fragileBase = { ...base, rules: [nullHater] };
    const details = fc.check(mutantProperty(fragileBase), { seed: SEED, numRuns: 200 });
    expect(details.failed).toBe(true);
    const [counterexample] = details.counterexample!;
    expect(counterexample.mutations).toHaveLength(1);
    expect(counterexample.mutations[0].kind).toBe('null');
    const text = reproducer(fragileBase, counterexample);
    expect(text).toMatch(/^cluster: (k3s|production)\nmutations: \[\{"object":\d+,"field":\d+,"kind":"null","choice":\d+\}\]\ndefects:\n  - a rule crashed: rule test\/null-hater failed on \w+ [\w/.-]+: null again; the rule's findings on the other objects are kept\nchanged objects \(1\):\n/);
  });

  it('findingDefects refuses a finding outside the input and one the report schema refuses', () => {
    const finding = { rule: 'x/y', severity: 'error' as const, cluster: 'c', message: 'm', fingerprint: 'abcdef12', location: { file: 'a.yaml', line: 3, column: 1 } };
    expect(findingDefects([finding], { 'a.yaml': 'a: 1\nb: 2\n' })).toEqual([]);
    expect(findingDefects([{ ...finding, location: { file: 'a.yaml', line: 4, column: 1 } }], { 'a.yaml': 'a: 1\nb: 2\n' })).toEqual(['location 4:1 outside a.yaml (3 lines): x/y: m']);
    expect(findingDefects([{ ...finding, severity: 'fatal' as any }], { 'a.yaml': 'a\nb\nc' })).toEqual([
      'the json report does not match schemas/report.schema.json: /findings/0/severity must be equal to one of the allowed values',
    ]);
  });

  it(`${CLI_RUNS} mutants as a PATH through the CLI: exit 0 or 1, no internal error, no crashed rule, findings inside the file`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-cli-'));
    fs.mkdirSync(path.join(dir, '.git'));
    const mutants = fc.sample(mutantArbitrary, { seed: SEED + 1, numRuns: CLI_RUNS });
    for (const [index, mutant] of mutants.entries()) {
      const cluster = base.clusters[mutant.cluster % base.clusters.length];
      const file = `mutant-${index}.yaml`;
      const text = objectsAsYaml(applyMutant(cluster.objects, mutant.mutations));
      fs.writeFileSync(path.join(dir, file), text);
      const run = runCli([file, '--format', 'json'], dir);
      const context = `${file} (mutations ${JSON.stringify(mutant.mutations)}): ${run.stderr}`;
      expect(run.stderr, context).not.toContain('internal error');
      expect([0, 1], context).toContain(run.code);
      const report = JSON.parse(run.stdout) as Report;
      const defects = findingDefects(
        report.findings.filter((f) => f.rule !== 'render/failed' || f.location),
        { [file]: text },
      );
      expect(defects, context).toEqual([]);
    }
  }, 120_000);
});
