// "did you mean" for a misspelt field name: the nearest allowed name by edit distance, case differences counting little.

function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      const cost = a[i - 1] === b[j - 1] ? 0 : a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0.5 : 1;
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The allowed name closest to `name`, when it is close enough to be a typo (at most a third of its length, and 3 edits). */
export function nearestName(name: string, allowed: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = distance(name, candidate);
    if (d < bestDistance) (best = candidate), (bestDistance = d);
  }
  return best !== undefined && bestDistance <= Math.min(3, Math.max(1, name.length / 3)) ? best : undefined;
}
