// "Did you mean" suggestions: the existing names closest to one that does not resolve.

/** Levenshtein distance with one rolling row: O(a*b) time, O(b) memory. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** Up to `limit` candidates, closest first (ties alphabetical), duplicates removed. */
export function closest(wanted: string, candidates: Iterable<string>, limit = 3): string[] {
  return [...new Set(candidates)]
    .filter((c) => c !== wanted)
    .map((c) => ({ c, d: editDistance(wanted, c) }))
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0))
    .slice(0, limit)
    .map((x) => x.c);
}

/**
 * The tail of a finding message: `; did you mean "a"?`, `; did you mean one of "a", "b"?`,
 * or `; <none>` (e.g. "no ConfigMap exists in namespace shop") when nothing is there to suggest.
 */
export function didYouMean(wanted: string, candidates: Iterable<string>, none: string): string {
  const names = closest(wanted, candidates);
  if (names.length === 0) return `; ${none}`;
  const quoted = names.map((n) => `"${n}"`);
  return names.length === 1 ? `; did you mean ${quoted[0]}?` : `; did you mean one of ${quoted.join(', ')}?`;
}
