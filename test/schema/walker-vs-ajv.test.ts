// The schema walker (what schema/strict runs, no compile step) against ajv (the reference it replaced for speed): the
// same problems in the same order, on every keyword the committed schemas use, on every object the repository's
// clusters receive, and on fuzzed mutants of those objects.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { K8sObject } from '../../tools/lib/core/types.ts';
import { Ajv } from 'ajv';
import { AjvSchemaValidator } from '../../tools/lib/schema/ajv-validator.ts';
import { SchemaValidator } from '../../tools/lib/schema/validator.ts';
import { SchemaWalker } from '../../tools/lib/schema/schema-walker.ts';
import { validateClusterObjects } from '../../tools/lib/schema/object-validation.ts';
import { loadFuzzBase, type FuzzBase } from '../../tools/lib/fuzz/in-memory-check.ts';
import { applyMutant, mutantArbitrary } from '../../tools/lib/fuzz/mutations.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

// one of each for the whole file: ajv compiles a schema once, as the check would in one run
const walkerValidator = new SchemaValidator();
const ajvValidator = new AjvSchemaValidator();

function both(objects: K8sObject[]) {
  const strip = (v: ReturnType<typeof validateClusterObjects>) => v.results.map((r) => ({ status: r.status, problems: r.status === 'validated' ? r.problems : r.reason }));
  return {
    walker: strip(validateClusterObjects(objects, '1.33', undefined, walkerValidator)),
    ajv: strip(validateClusterObjects(objects, '1.33', undefined, ajvValidator)),
  };
}

/** One schema, many values: the walker's problems against ajv's, through the same validateWith entry point. */
function compareSchema(schema: Record<string, unknown>, values: unknown[]) {
  const walker = new SchemaValidator();
  const ajv = new AjvSchemaValidator();
  for (const value of values) {
    expect({ value, problems: walker.validateWith('s', () => schema, value) }).toEqual({ value, problems: ajv.validateWith('s', () => schema, value) });
  }
}

describe('schema walker vs ajv: each keyword the committed schemas use', () => {
  const odd = [null, true, 0, -1, 1.5, 2 ** 31, 1e308, NaN, Infinity, -Infinity, '', 'x', '08:00', [], [1, 1], ['a', 'a'], [{}, {}], {}, { a: 1 }];
  const cases: [string, Record<string, unknown>][] = [
    ['type (one, several, integer)', { type: 'integer' }],
    ['type list', { type: ['integer', 'string'] }],
    ['nullable', { type: 'string', nullable: true }],
    ['enum of strings', { type: 'string', enum: ['Always', 'Never'] }],
    ['enum of objects', { enum: [{ a: 1 }, [1, 1], null] }],
    ['numbers', { type: 'number', minimum: 0, maximum: 10, exclusiveMaximum: 5, multipleOf: 0.5 }],
    ['exclusive minimum', { type: 'integer', exclusiveMinimum: 0 }],
    ['strings', { type: 'string', minLength: 1, maxLength: 3, pattern: '^[a-z]+$' }],
    ['formats', { type: 'object', properties: { q: { type: 'string', format: 'quantity' }, d: { type: 'string', format: 'duration' }, t: { type: 'string', format: 'date-time' }, b: { type: 'string', format: 'byte' }, i: { type: 'integer', format: 'int32' }, l: { type: 'integer', format: 'int64' }, u: { type: 'string', format: 'uuid' }, x: { type: 'number', format: 'double' } } }],
    ['arrays', { type: 'array', minItems: 1, maxItems: 2, uniqueItems: true, items: { type: 'integer' } }],
    ['unique objects', { type: 'array', uniqueItems: true }],
    ['unique mixed', { type: 'array', uniqueItems: true, items: { type: ['integer', 'string'] } }],
    ['list-type set', { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } }],
    ['list-type map', { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol'], 'x-policy-check-key-defaults': { protocol: 'TCP' }, items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } } }],
    ['objects', { type: 'object', required: ['name', 'kind'], minProperties: 1, maxProperties: 2, properties: { name: { type: 'string' }, kind: { type: 'string' } }, additionalProperties: false }],
    ['additionalProperties schema', { type: 'object', additionalProperties: { type: 'string', maxLength: 1 } }],
    ['anyOf', { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\d+%$' }] }],
    ['oneOf', { oneOf: [{ type: 'number' }, { type: 'integer' }] }],
    ['not', { not: { type: 'string' } }],
    ['allOf', { allOf: [{ type: 'object', required: ['a'] }, { type: 'object', properties: { a: { type: 'boolean' } } }] }],
    ['boolean schemas', { type: 'object', properties: { never: false, always: true } }],
    ['deferred single type with other keywords', { type: 'object', required: ['a'], enum: [{ a: 1 }] }],
  ];
  for (const [name, schema] of cases) {
    it(name, () => {
      const values = name === 'objects' ? [...odd, { name: 'a' }, { name: 1, kind: 'K', extra: true }, { extra: 1 }] : name.startsWith('list-type') ? [...odd, [{ port: 1 }, { port: 1, protocol: 'TCP' }], ['a', 'b', 'a'], [{ port: 1, protocol: 'UDP' }, { port: 1 }]] : odd;
      compareSchema(schema, values);
    });
  }

  it('a $ref to a definition that does not exist throws, as ajv refuses to compile it', () => {
    const walker = new SchemaWalker();
    expect(() => walker.validate({ $ref: '#/definitions/missing' }, {}, { definitions: {} })).toThrow("can't resolve reference #/definitions/missing");
    expect(() => new Ajv().compile({ $ref: '#/definitions/missing' })).toThrow(/can't resolve reference #\/definitions\/missing/);
  });
});

describe('schema walker vs ajv: the repository and mutants of it', () => {
  let base: FuzzBase;
  beforeAll(async () => {
    base = await loadFuzzBase(REPO_ROOT, ['kind', 'production']);
  }, 180_000);

  it('every object of kind and production: the same results (and they are clean)', () => {
    for (const cluster of base.clusters) {
      const { walker, ajv } = both(cluster.objects);
      expect(walker).toEqual(ajv);
      expect(walker.filter((r) => r.status === 'validated').length).toBeGreaterThan(100);
      expect(walker.flatMap((r) => (Array.isArray(r.problems) ? r.problems : []))).toEqual([]);
    }
  });

  it('300 mutants (dropped fields, wrong types, nulls, huge numbers, odd selectors): the same problems', () => {
    let withProblems = 0;
    fc.assert(
      fc.property(mutantArbitrary, (mutant) => {
        const cluster = base.clusters[mutant.cluster % base.clusters.length];
        const objects = applyMutant(cluster.objects, mutant.mutations);
        const { walker, ajv } = both(objects);
        expect(walker).toEqual(ajv);
        if (walker.some((r) => Array.isArray(r.problems) && r.problems.length > 0)) withProblems++;
      }),
      { seed: 4242, numRuns: 300 },
    );
    // the mutants reach the schemas: most of them give the validators something to say
    expect(withProblems).toBeGreaterThan(100);
  }, 240_000);
});
