// A line diff (Myers' O(ND) algorithm) and its unified-diff hunks, for the rendered diff of --base.

export interface DiffOp {
  kind: 'equal' | 'delete' | 'insert';
  line: string;
}

/**
 * Past this many edits in the part between the common prefix and suffix, the middle is shown as
 * removed-then-added instead: Myers keeps one frontier per edit, so memory grows with the square of it.
 */
export const MAX_EDITS = 2000;

/** The shortest edit script from `before` to `after`: equal, deleted and inserted lines in order. */
export function diffLines(before: string[], after: string[], maxEdits = MAX_EDITS): DiffOp[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  const equal = (line: string): DiffOp => ({ kind: 'equal', line });
  return [
    ...before.slice(0, start).map(equal),
    ...middle(before.slice(start, endBefore), after.slice(start, endAfter), maxEdits),
    ...before.slice(endBefore).map(equal),
  ];
}

function replaceAll(a: string[], b: string[]): DiffOp[] {
  return [...a.map((line): DiffOp => ({ kind: 'delete', line })), ...b.map((line): DiffOp => ({ kind: 'insert', line }))];
}

function middle(a: string[], b: string[], maxEdits: number): DiffOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return replaceAll(a, b);
  const limit = Math.min(n + m, maxEdits);
  // v[k] is the furthest x reached on diagonal k = x - y; stored with an offset so k may be negative.
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  // trace[d] holds v for diagonals -d-1..d+1 as it was before step d, enough to walk back.
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return replaceAll(a, b);

  const reversed: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const frontier = trace[d];
    const at = (k: number) => frontier[k + d + 1];
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = d === 0 ? 0 : at(previousK);
    const previousY = d === 0 ? 0 : previousX - previousK;
    while (x > previousX && y > previousY) {
      reversed.push({ kind: 'equal', line: a[x - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === previousX) reversed.push({ kind: 'insert', line: b[y - 1] });
      else reversed.push({ kind: 'delete', line: a[x - 1] });
    }
    x = previousX;
    y = previousY;
  }
  return reversed.reverse();
}

/** `-start,count` as diff(1) writes it: the count is left out when it is 1, and start is the line before when it is 0. */
function range(start: number, count: number): string {
  if (count === 1) return `${start}`;
  return `${count === 0 ? start - 1 : start},${count}`;
}

/** The hunks of a unified diff (`@@ -a,b +c,d @@` and its lines), with `context` unchanged lines around each change. */
export function unifiedHunks(ops: DiffOp[], context = 3): string[] {
  const changed = ops.map((op, index) => (op.kind === 'equal' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return [];
  // group changes whose context would touch or overlap into one hunk
  const groups: { from: number; to: number }[] = [];
  for (const index of changed) {
    const last = groups[groups.length - 1];
    if (last && index - last.to <= 2 * context + 1) last.to = index;
    else groups.push({ from: index, to: index });
  }
  // line numbers (1-based) of each op on the old and the new side, counted before the op
  const oldLine: number[] = [];
  const newLine: number[] = [];
  let o = 1;
  let p = 1;
  for (const op of ops) {
    oldLine.push(o);
    newLine.push(p);
    if (op.kind !== 'insert') o++;
    if (op.kind !== 'delete') p++;
  }
  const lines: string[] = [];
  for (const group of groups) {
    const from = Math.max(0, group.from - context);
    const to = Math.min(ops.length - 1, group.to + context);
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((op) => op.kind !== 'insert').length;
    const newCount = slice.filter((op) => op.kind !== 'delete').length;
    lines.push(`@@ -${range(oldLine[from], oldCount)} +${range(newLine[from], newCount)} @@`);
    for (const op of slice) lines.push(`${op.kind === 'equal' ? ' ' : op.kind === 'delete' ? '-' : '+'}${op.line}`);
  }
  return lines;
}
