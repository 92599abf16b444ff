// Mutations of rendered objects, the way a careless edit or a hostile PR breaks them: fields dropped, wrong
// types, nulls, huge numbers, odd selectors, names swapped for other names. Plain data, so a failing case
// prints (and fast-check shrinks) as a list of edits.
import fc from 'fast-check';
import type { FieldPath, K8sObject } from '../core/types.ts';

export const MUTATION_KINDS = ['drop', 'null', 'wrong-type', 'huge-number', 'odd-selector', 'swap-string'] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** One edit: which object, which field (an index into that object's field paths at the time), what to do. */
export interface Mutation {
  object: number;
  field: number;
  kind: MutationKind;
  /** Picks the replacement value among the kind's candidates. */
  choice: number;
}

export interface Mutant {
  /** Index of the cluster whose objects are mutated. */
  cluster: number;
  mutations: Mutation[];
}

const WRONG_TYPES: unknown[] = ['', 'x', 'ümlaut-ß', '8080', 'a:b', '-1', true, false, 0, -1, 1.5, {}, [], [1], ['x'], { a: 1 }, [{}], [null], { '': '' }];
const HUGE_NUMBERS: unknown[] = [1e308, -1e308, 2 ** 53 + 2, 4294967296, 65536, 99999999, Infinity, -Infinity, NaN, Number.MAX_SAFE_INTEGER, -0];
const ODD_SELECTORS: unknown[] = [
  {},
  { matchLabels: {} },
  { matchLabels: null },
  { matchLabels: { '': '' } },
  { matchLabels: { app: 5 } },
  { matchLabels: [] },
  { matchExpressions: [] },
  { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
  { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] },
  { matchExpressions: [{ key: 'app', operator: 'Bogus', values: [1] }] },
  { matchExpressions: [{ operator: 'NotIn' }] },
  { matchExpressions: { key: 'app' } },
  { matchExpressions: [null] },
  'app=web',
  { app: 'web', tier: null },
];

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  object: fc.nat(),
  field: fc.nat(),
  kind: fc.constantFrom(...MUTATION_KINDS),
  choice: fc.nat(),
});

export const mutantArbitrary: fc.Arbitrary<Mutant> = fc.record({
  cluster: fc.nat(),
  mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }),
});

/** Every field path in a value (map keys and list indices), parents before children. */
export function fieldPaths(value: unknown, prefix: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index]);
      fieldPaths(item, [...prefix, index], out);
    });
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      fieldPaths(item, [...prefix, key], out);
    }
  }
  return out;
}

const isSelectorPath = (path: FieldPath) => /selector$/i.test(String(path[path.length - 1]));

function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, out);
  return out;
}

function setAt(root: any, path: FieldPath, replace: (parent: any, key: string | number) => void): void {
  let parent = root;
  for (const segment of path.slice(0, -1)) parent = parent[segment as any];
  replace(parent, path[path.length - 1]);
}

/** Applies one mutation in place; mutations whose object or field no longer exists are no-ops. */
export function applyMutation(objects: K8sObject[], mutation: Mutation): void {
  if (objects.length === 0) return;
  const object = objects[mutation.object % objects.length];
  const paths = fieldPaths(object);
  const selectors = paths.filter(isSelectorPath);
  const candidates = mutation.kind === 'odd-selector' && selectors.length > 0 ? selectors : paths;
  if (candidates.length === 0) return;
  const path = candidates[mutation.field % candidates.length];
  const pick = (values: unknown[]) => structuredClone(values[mutation.choice % values.length]);
  setAt(object, path, (parent, key) => {
    switch (mutation.kind) {
      case 'drop':
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        return;
      case 'null':
        parent[key] = null;
        return;
      case 'wrong-type':
        parent[key] = pick(WRONG_TYPES);
        return;
      case 'huge-number':
        parent[key] = pick(HUGE_NUMBERS);
        return;
      case 'odd-selector':
        parent[key] = pick(ODD_SELECTORS);
        return;
      case 'swap-string': {
        const strings = objects.flatMap((o) => stringsOf(o));
        if (strings.length > 0) parent[key] = strings[mutation.choice % strings.length];
        return;
      }
    }
  });
}

export function applyMutant(objects: K8sObject[], mutations: Mutation[]): K8sObject[] {
  const copy = structuredClone(objects);
  for (const mutation of mutations) applyMutation(copy, mutation);
  return copy;
}
