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

// Selectors come from untrusted YAML: a map where a list belongs (or a string where a map does) selects as if unset.
const mapOf = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

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
  const own = mapOf(labels) as Labels;
  const sel = mapOf(selector) as LabelSelector;
  for (const [key, value] of Object.entries(mapOf(sel.matchLabels))) {
    if (!Object.prototype.hasOwnProperty.call(own, key) || own[key] !== String(value)) return false;
  }
  for (const requirement of listOf(sel.matchExpressions)) {
    if (!requirement || typeof requirement !== 'object' || !requirementMatches(requirement as LabelSelectorRequirement, own)) return false;
  }
  return true;
}

/** True when the selector has no requirement at all, so it selects every object. */
export function isEmptySelector(selector: LabelSelector | null | undefined): boolean {
  const sel = mapOf(selector) as LabelSelector;
  return Object.keys(mapOf(sel.matchLabels)).length === 0 && listOf(sel.matchExpressions).length === 0;
}

/** A short human form, kubectl style: `app=web,tier in (a,b),!legacy`. */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  const sel = mapOf(selector) as LabelSelector;
  const parts = Object.entries(mapOf(sel.matchLabels)).map(([k, v]) => `${k}=${v}`);
  for (const item of listOf(sel.matchExpressions)) {
    const r = mapOf(item) as unknown as LabelSelectorRequirement;
    const values = listOf(r.values).join(',');
    if (r.operator === 'In') parts.push(`${r.key} in (${values})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${values})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.operator} (${values})`);
  }
  return parts.length ? parts.join(',') : '<all>';
}
