// locate for Helm-rendered objects: the chart's templates are not in the repository, so a finding points at the values
// line that wrote the field when one evidently did (same trailing keys, same value), else at the reconciler's chart line.
import { isDeepStrictEqual } from 'node:util';
import type { FieldPath, HelmOrigin, K8sObject, SourceLocation } from './types.ts';

/** How many trailing map keys two paths share (list indices are skipped: values often write a list the chart wraps). */
function sharedKeySuffix(a: FieldPath, b: FieldPath): number {
  const keysA = a.filter((s) => typeof s === 'string');
  const keysB = b.filter((s) => typeof s === 'string');
  let n = 0;
  while (n < keysA.length && n < keysB.length && keysA[keysA.length - 1 - n] === keysB[keysB.length - 1 - n]) n++;
  return n;
}

export function locateHelmField(origin: HelmOrigin, object: K8sObject, fieldPath: FieldPath): SourceLocation | undefined {
  if (fieldPath.length > 0) {
    const rendered = fieldPath.reduce<any>((value, segment) => (value === null || value === undefined ? undefined : value[segment]), object);
    if (rendered !== undefined) {
      let best: { location: SourceLocation; score: number } | undefined;
      for (const leaf of origin.values) {
        if (!leaf.location || !isDeepStrictEqual(leaf.value, rendered)) continue;
        const score = sharedKeySuffix(leaf.path, fieldPath);
        if (score > 0 && (!best || score > best.score)) best = { location: leaf.location, score };
      }
      if (best) return best.location;
    }
  }
  return origin.declaredIn;
}
