// The fuzz property shared by `npm test` and `npm run fuzz`: a mutant of the repository's own rendered
// objects never crashes the check, never crashes a rule, and yields only well-formed, located findings.
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { FuzzBase } from './in-memory-check.ts';
import { checkInMemory, findingDefects } from './in-memory-check.ts';
import { isDeepStrictEqual } from 'node:util';
import type { K8sObject } from '../core/types.ts';
import { applyMutant, mutantArbitrary, type Mutant } from './mutations.ts';

export interface MutantOutcome {
  cluster: string;
  /** How many findings the check produced (the base repository has none). */
  findings: number;
  defects: string[];
}

export function checkMutant(base: FuzzBase, mutant: Mutant): MutantOutcome {
  const cluster = base.clusters[mutant.cluster % base.clusters.length];
  const objects = applyMutant(cluster.objects, mutant.mutations);
  const unchanged = objects.map((object, index) => (isDeepStrictEqual(object, cluster.objects[index]) ? cluster.objects[index] : undefined)) as K8sObject[];
  try {
    const { inputs, findings } = checkInMemory(cluster.name, objects, base, unchanged);
    return { cluster: cluster.name, findings: findings.length, defects: findingDefects(findings, inputs) };
  } catch (error) {
    return { cluster: cluster.name, findings: 0, defects: [`the check threw: ${(error as Error)?.stack ?? String(error)}`] };
  }
}

export function mutantProperty(base: FuzzBase, onOutcome: (outcome: MutantOutcome) => void = () => {}): fc.IPropertyWithHooks<[Mutant]> {
  return fc.property(mutantArbitrary, (mutant) => {
    const outcome = checkMutant(base, mutant);
    onOutcome(outcome);
    if (outcome.defects.length > 0) throw new Error(outcome.defects.join('\n'));
  });
}

/** The objects a mutant changed, as YAML a person can paste into a file and check as a PATH. */
export function reproducer(base: FuzzBase, mutant: Mutant): string {
  const cluster = base.clusters[mutant.cluster % base.clusters.length];
  const mutated = applyMutant(cluster.objects, mutant.mutations);
  const changed = mutated.filter((object, index) => !isDeepStrictEqual(object, cluster.objects[index]));
  const outcome = checkMutant(base, mutant);
  return [
    `cluster: ${cluster.name}`,
    `mutations: ${JSON.stringify(mutant.mutations)}`,
    `defects:\n${outcome.defects.map((d) => `  - ${d.split('\n')[0]}`).join('\n')}`,
    `changed objects (${changed.length}):`,
    changed.map((o) => stringify(o)).join('---\n'),
  ].join('\n');
}
