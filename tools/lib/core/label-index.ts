// A label index over one kind of labelled thing (pod templates, Services): selectors look up the bucket of
// their rarest label instead of scanning every item. The graph's pods-behind-a-Service and the reference rules share it.
import { matchesLabelSelector, type LabelSelector } from './label-selector.ts';

const labelSlot = (namespace: string, key: string, value: string) => `${namespace}\u0000${key}\u0000${value}`;

/** Label index over one kind of labelled thing (pod templates, Services) so selectors look up buckets. */
export class LabelIndex<T> {
  private readonly byNamespace = new Map<string, T[]>();
  private readonly byLabel = new Map<string, T[]>();
  private readonly valuesByKey = new Map<string, Set<string>>();

  /** Candidates examined by lookups, so tests can pin that they stay proportional to what they return. */
  examined = 0;

  constructor(items: Iterable<T>, namespaceOf: (t: T) => string, private readonly labelsOf: (t: T) => Record<string, string>) {
    for (const item of items) {
      const namespace = namespaceOf(item);
      push(this.byNamespace, namespace, item);
      for (const [key, value] of Object.entries(labelsOf(item) ?? {})) {
        push(this.byLabel, labelSlot(namespace, key, String(value)), item);
        const values = this.valuesByKey.get(`${namespace}\u0000${key}`) ?? new Set<string>();
        values.add(String(value));
        this.valuesByKey.set(`${namespace}\u0000${key}`, values);
      }
    }
  }

  inNamespace(namespace: string): T[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  /** Items in the namespace a LabelSelector selects (an empty selector selects all of them). */
  matching(namespace: string, selector: LabelSelector | null | undefined): T[] {
    const pairs = Object.entries(selector?.matchLabels ?? {});
    let candidates = this.inNamespace(namespace);
    for (const [key, value] of pairs) {
      const bucket = this.byLabel.get(labelSlot(namespace, key, String(value))) ?? [];
      if (bucket.length < candidates.length) candidates = bucket;
    }
    this.examined += candidates.length;
    return candidates.filter((t) => matchesLabelSelector(selector, this.labelsOf(t)));
  }

  /** Items matching a Service-style equality selector; an empty one selects nothing, as for Services. */
  matchingEquality(namespace: string, selector: Record<string, string> | undefined): T[] {
    if (!selector || Object.keys(selector).length === 0) return [];
    return this.matching(namespace, { matchLabels: selector });
  }

  /** Values the label key carries in the namespace, for "did you mean". */
  valuesOf(namespace: string, key: string): string[] {
    return [...(this.valuesByKey.get(`${namespace}\u0000${key}`) ?? [])].sort();
  }

  hasLabel(namespace: string, key: string, value: string): boolean {
    return this.byLabel.has(labelSlot(namespace, key, value));
  }

  namespaces(): string[] {
    return [...this.byNamespace.keys()];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
