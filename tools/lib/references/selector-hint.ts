// Why a label selector matches nothing, phrased for a finding, with the closest existing label values.
import { formatLabelSelector, type LabelSelector } from '../core/label-selector.ts';
import { closest } from './did-you-mean.ts';
import type { LabelIndex } from '../core/label-index.ts';

export interface SelectorMiss {
  /** The matchLabels key whose key=value pair nothing in the namespace carries (the field to point at). */
  key?: string;
  /** Message tail starting with "; ". */
  hint: string;
}

export function selectorMiss<T>(index: LabelIndex<T>, namespace: string, selector: LabelSelector, things: string): SelectorMiss {
  if (index.inNamespace(namespace).length === 0) return { hint: `; namespace ${namespace} has no ${things}` };
  for (const [key, raw] of Object.entries(selector.matchLabels ?? {})) {
    const value = String(raw);
    if (index.hasLabel(namespace, key, value)) continue;
    const values = closest(value, index.valuesOf(namespace, key)).map((v) => `${key}=${v}`);
    if (values.length === 0) return { key, hint: `; no ${things.replace(/s$/, '')} in namespace ${namespace} has a "${key}" label` };
    return { key, hint: values.length === 1 ? `; did you mean ${values[0]}?` : `; did you mean one of ${values.join(', ')}?` };
  }
  if (Object.keys(selector.matchLabels ?? {}).length > 1 && (selector.matchExpressions ?? []).length === 0) {
    return { hint: `; each label exists in namespace ${namespace}, but no single one of its ${things} carries them all` };
  }
  return { hint: `; none of the ${things} in namespace ${namespace} satisfies ${formatLabelSelector(selector)}` };
}
