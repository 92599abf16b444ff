#!/usr/bin/env -S npx tsx
// npm run fuzz [-- --runs N] [--seed S]: a long fuzz run over mutants of this repository's rendered objects.
// Prints the seed (to replay a failure), the number of mutants, and on failure fast-check's shrunk reproducer.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadFuzzBase } from './lib/fuzz/in-memory-check.ts';
import { mutantProperty, reproducer } from './lib/fuzz/property.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3000' }, seed: { type: 'string' } } });
  const runs = Number(values.runs);
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed)) {
    console.error('usage: npm run fuzz -- [--runs N] [--seed S]   (N and S are integers)');
    return 2;
  }
  const base = await loadFuzzBase(ROOT);
  const objects = base.clusters.reduce((sum, c) => sum + c.objects.length, 0);
  console.log(`fuzz: seed ${seed}, ${runs} mutants of ${objects} rendered objects in ${base.clusters.length} clusters`);
  const started = Date.now();
  let mutants = 0;
  let findings = 0;
  let crashes = 0;
  const property = mutantProperty(base, (outcome) => {
    mutants += 1;
    findings += outcome.findings;
    if (outcome.defects.length > 0) crashes += 1;
  });
  const details = fc.check(property, { seed, numRuns: runs, endOnFailure: false });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!details.failed) {
    console.log(`fuzz: ${mutants} mutants checked in ${seconds} s: ${findings} findings, 0 crashes, 0 ill-formed or unlocated findings (seed ${seed})`);
    return 0;
  }
  const [counterexample] = details.counterexample ?? [];
  console.log(`fuzz: FAILED after ${details.numRuns} mutants (${mutants} checks including shrinking, ${crashes} failing) in ${seconds} s (seed ${seed}, replay with --seed ${seed} --runs ${runs})`);
  if (counterexample) console.log(`minimal reproducer, shrunk ${details.numShrinks} times:\n${reproducer(base, counterexample)}`);
  return 1;
}

process.exitCode = await main();
