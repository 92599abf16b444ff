import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffLines, unifiedHunks, type DiffOp } from '../../tools/lib/report/line-diff.ts';

const lines = (text: string) => (text === '' ? [] : text.split(' '));
const sides = (ops: DiffOp[]) => ({
  before: ops.filter((op) => op.kind !== 'insert').map((op) => op.line),
  after: ops.filter((op) => op.kind !== 'delete').map((op) => op.line),
});

function lcsLength(a: string[], b: string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) table[i][j] = a[i - 1] === b[j - 1] ? table[i - 1][j - 1] + 1 : Math.max(table[i - 1][j], table[i][j - 1]);
  }
  return table[a.length][b.length];
}

describe('diffLines', () => {
  it("finds Myers' shortest edit script for his paper's example", () => {
    const ops = diffLines(lines('a b c a b b a'), lines('c b a b a c'));
    expect(ops.map((op) => `${op.kind === 'equal' ? ' ' : op.kind === 'delete' ? '-' : '+'}${op.line}`)).toEqual(['-a', '-b', ' c', '+b', ' a', ' b', '-b', ' a', '+c']);
  });

  it('turns one side into the other with as few edits as a longest common subsequence allows', () => {
    const side = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 25 });
    fc.assert(
      fc.property(side, side, (before, after) => {
        const ops = diffLines(before, after);
        expect(sides(ops)).toEqual({ before, after });
        expect(ops.filter((op) => op.kind === 'equal')).toHaveLength(lcsLength(before, after));
      }),
      { numRuns: 400 },
    );
  });

  it('past the edit limit, shows the middle as removed then added, still a correct script', () => {
    const before = Array.from({ length: 50 }, (_, i) => `old ${i}`);
    const after = Array.from({ length: 50 }, (_, i) => `new ${i}`);
    const ops = diffLines(['same', ...before, 'end'], ['same', ...after, 'end'], 10);
    expect(ops.map((op) => op.kind)).toEqual(['equal', ...before.map(() => 'delete'), ...after.map(() => 'insert'), 'equal']);
  });
});

describe('unifiedHunks', () => {
  it('writes diff -u hunks: three lines of context, separate hunks for distant changes, no ",1" counts', () => {
    const before = lines('a b c d e f g h i j k l m n o p');
    const after = lines('a b X d e f g h i j k l m n o p q');
    expect(unifiedHunks(diffLines(before, after))).toEqual([
      '@@ -1,6 +1,6 @@', ' a', ' b', '-c', '+X', ' d', ' e', ' f',
      '@@ -14,3 +14,4 @@', ' n', ' o', ' p', '+q',
    ]);
    expect(unifiedHunks(diffLines(['a', 'b'], ['a', 'c']), 0)).toEqual(['@@ -2 +2 @@', '-b', '+c']);
  });

  it('joins changes whose contexts would meet into one hunk', () => {
    expect(unifiedHunks(diffLines(lines('a b c d e f g h'), lines('A b c d e f g H')))).toEqual(['@@ -1,8 +1,8 @@', '-a', '+A', ' b', ' c', ' d', ' e', ' f', ' g', '-h', '+H']);
    // seven unchanged lines between: more than twice the context, two hunks as diff -u writes them
    expect(unifiedHunks(diffLines(lines('a b c d e f g h i'), lines('A b c d e f g h I')))).toEqual([
      '@@ -1,4 +1,4 @@', '-a', '+A', ' b', ' c', ' d',
      '@@ -6,4 +6,4 @@', ' f', ' g', ' h', '-i', '+I',
    ]);
  });

  it('counts an added file from line 0 and a removed one to line 0', () => {
    expect(unifiedHunks(diffLines([], ['x', 'y']))).toEqual(['@@ -0,0 +1,2 @@', '+x', '+y']);
    expect(unifiedHunks(diffLines(['x'], []))).toEqual(['@@ -1 +0,0 @@', '-x']);
    expect(unifiedHunks(diffLines(['x'], ['x']))).toEqual([]);
  });
});
