// Kubernetes label selectors (metav1.LabelSelector) with the API server's matching semantics.

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  operator: SelectorOperator | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

export type Labels = Record<string, string>;

function requirementMatches(requirement: LabelSelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const values = Array.isArray(requirement.values) ? requirement.values.map(String) : [];
  switch (requirement.operator) {
    case 'In':
      return has && values.includes(labels[requirement.key]);
    case 'NotIn':
      // NotIn also matches objects that lack the key, as in labels.Selector.
      return !has || !values.includes(labels[requirement.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      // The API server rejects unknown operators; an object carrying one selects nothing.
      return false;
  }
}

/** True when the selector selects an object with these labels. An empty selector selects everything. */
export function matchesLabelSelector(selector: LabelSelector | null | undefined, labels: Labels | null | undefined): boolean {
  const own = labels ?? {};
  const sel = selector ?? {};
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(own, key) || own[key] !== String(value)) return false;
  }
  for (const requirement of sel.matchExpressions ?? []) {
    if (!requirement || typeof requirement !== 'object' || !requirementMatches(requirement, own)) return false;
  }
  return true;
}

/** True when the selector has no requirement at all, so it selects every object. */
export function isEmptySelector(selector: LabelSelector | null | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

/** A short human form, kubectl style: `app=web,tier in (a,b),!legacy`. */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of selector?.matchExpressions ?? []) {
    const values = (r.values ?? []).join(',');
    if (r.operator === 'In') parts.push(`${r.key} in (${values})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${values})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.operator} (${values})`);
  }
  return parts.length ? parts.join(',') : '<all>';
}
