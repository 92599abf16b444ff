// The fast reader of kustomize's output must agree with the `yaml` library on every document it accepts, and
// hand every other document back (OutsideSubset) rather than guess.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { isScalar, parse, parseAllDocuments, parseDocument, stringify, visit } from 'yaml';
import { describe, expect, it } from 'vitest';
import { OutsideSubset, readRenderedDocument, splitDocuments } from '../../tools/lib/render/rendered-yaml.ts';
import { findKustomize } from '../../tools/lib/render/kustomize.ts';
import { run } from '../../tools/lib/render/process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The document again with each sequence or map of scalars in flow style: `[a, "b", 1]`, `{ cpu: 10m }`. */
function withFlowSequences(text: string, indentSeq: boolean): string {
  const doc = parseDocument(text);
  visit(doc, {
    Seq: (_, seq) => void (seq.flow = seq.items.every((item) => isScalar(item))),
    Map: (_, map) => void (map.flow = map.items.every((pair) => isScalar(pair.key) && isScalar(pair.value))),
  });
  return doc.toString({ indentSeq, lineWidth: 0 });
}

/** The reader's value, or 'outside' when it declines. */
function read(text: string): unknown {
  try {
    return readRenderedDocument(text);
  } catch (error) {
    if (error instanceof OutsideSubset) return 'outside';
    throw error;
  }
}

describe('reading kustomize output', () => {
  it('reads block maps, sequences at the key indent, quoting, literals and core-schema scalars', () => {
    const text = [
      'apiVersion: v1',
      'data:',
      '  script: |',
      '    #!/bin/sh',
      '    echo "a: b"  ',
      '',
      '    exit 0',
      '  kept: |-',
      '    no newline',
      '  port: "8080"',
      "  quote: 'it''s'",
      '  escaped: "tab\\tand \\u00e9"',
      'kind: ConfigMap',
      'metadata:',
      '  annotations:',
      '    config.kubernetes.io/origin: |',
      '      path: ../apps/a/cm.yaml',
      '  name: cm # a comment',
      'spec:',
      '  list:',
      '  - 1',
      '  - 0x1F',
      '  - 1.5e3',
      '  - true',
      '  - ~',
      '  - - nested',
      '  - name: a',
      '    value: http://x:80/y',
      '  empty: {}',
      '  none: []',
      '  nothing:',
    ].join('\n');
    const value = readRenderedDocument(text);
    expect(value).toEqual(parse(text));
    expect((value as any).data.script).toBe('#!/bin/sh\necho "a: b"  \n\nexit 0\n');
  });

  it('declines what kustomize does not write instead of guessing', () => {
    for (const text of ['a: &x 1\nb: *x', 'a: !!str 1', 'a: { b: [1] }', 'a: [1, [2]]', 'a: [b: 1]', 'a: [1,]', 'a: [x #y]', 'a: [1, 2', 'a: {a: 1, a: 2}', 'a: {a:1}', 'a: {a: [1]}', 'a: {a: 1,}', 'a: {a}', 'a: {null: 1}', 'a: {a: }', 'a: >\n  folded\n', 'a: "multi\n  line"', 'a: plain\n  continued', 'a: 1\na: 2', 'a:\tb', '%YAML 1.2\n---\na: 1']) {
      expect(read(text), text).toBe('outside');
    }
  });

  it('reads one-line flow sequences and maps of scalars, as people write `drop: ["ALL"]`, and comments after items', () => {
    for (const text of ['a: { cpu: 10m, memory: 64Mi }', 'a: { }', 'a: {"x": 1, \'y\': "z"}', 'a: {1: x}', '- x   # note: y', 'k: v # c: d', 'a: ["ALL"]', 'a: [ a, b ]', "a: ['x', \"y\", 3, true, null, ~, 0x1F, -1]", 'a: [1, 2] # c', 'a: [a b, c]', 'a: [ ]', 'a: [1 ,2]', 'a: [-1, -x]', '- [a]\n- b']) {
      expect(read(text), text).toEqual(parse(text));
    }
  });

  it('splits documents on --- lines only', () => {
    expect(splitDocuments('a: 1\n---\nb: |\n  ---x\n---\n\n---\nc: 3\n')).toEqual(['a: 1\n', 'b: |\n  ---x\n', 'c: 3\n']);
  });

  it('agrees with the yaml library on random documents in both sequence styles', () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.constantFrom('true', 'null', '~', '0x10', '0o7', '1e3', '-1', '.inf', '.nan', 'a: b', ' #x', "it's", '"q"', '- x', '', ' lead', 'trail ', 'a\nb', 'x\n'),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const key = fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('app.kubernetes.io/name', 'config.kubernetes.io/origin', '8080', 'a b', 'x:y'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
    })).node;
    const doc = fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 });
    let flowRead = 0;
    fc.assert(
      fc.property(doc, fc.boolean(), (object, indentSeq) => {
        const text = stringify(object, { indentSeq });
        const got = read(text);
        if (got !== 'outside') expect(got).toEqual(parse(text));
        // the same document with every sequence of scalars written [a, b], as people write source files
        const flow = withFlowSequences(text, indentSeq);
        const value = read(flow);
        if (value !== 'outside' && flow.includes('[')) flowRead++;
        if (value !== 'outside') expect(value, flow).toEqual(parse(flow));
      }),
      { seed: 20261201, numRuns: 400 },
    );
    // the flow variants were read, not all declined
    expect(flowRead).toBeGreaterThan(40);
  });
});

const kustomize = await findKustomize().catch(() => undefined);

describe.skipIf(!kustomize)('on what kustomize renders for this repository', () => {
  it('reads every document of every cluster folder and overlay exactly as the yaml library does', async () => {
    let documents = 0;
    for (const folder of ['clusters/k3s', 'clusters/staging', 'overlays/k3s', 'overlays/kind', 'overlays/staging', 'overlays/production', 'infrastructure/controllers/kind']) {
      const wrapper = fs.mkdtempSync(path.join(ROOT, '.check-tmp-'));
      try {
        fs.writeFileSync(path.join(wrapper, 'kustomization.yaml'), `resources: [../${folder}]\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`);
        const result = await run(kustomize!.command, [...kustomize!.args, wrapper]);
        expect(result.code, result.stderr).toBe(0);
        const docs = splitDocuments(result.stdout);
        expect(docs.length).toBe(parseAllDocuments(result.stdout).length);
        for (const text of docs) {
          expect(readRenderedDocument(text)).toEqual(parse(text));
          documents++;
        }
      } finally {
        fs.rmSync(wrapper, { recursive: true, force: true });
      }
    }
    expect(documents).toBeGreaterThan(500);
  }, 60_000);
});
