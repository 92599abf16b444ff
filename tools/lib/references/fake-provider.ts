// What External Secrets' `fake` provider can serve, with the semantics of its source at v0.12.1
// (pkg/provider/fake/fake.go): GetSecret looks the entry up by key+version and, when the remoteRef
// names a `property`, reads it with gjson from the entry's `value` string. `valueMap` is only read by
// GetSecretMap (dataFrom.extract), never for a `property`.

export interface FakeEntry {
  key: string;
  version: string;
  value?: string;
  valueMap?: Record<string, string>;
}

/** `reason` completes "the store (fake provider) ..."; `missing` is the remoteRef field at fault. */
export type Servable = { ok: true } | { ok: false; missing: 'key' | 'property'; reason: string; candidates: string[] } | { ok: 'unknown' };

export function fakeEntriesOf(fake: unknown): FakeEntry[] {
  const data = (fake as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return [];
  return data
    .filter((d): d is Record<string, unknown> => !!d && typeof d === 'object' && typeof (d as any).key === 'string')
    .map((d) => ({
      key: d.key as string,
      version: typeof d.version === 'string' ? d.version : '',
      value: typeof d.value === 'string' ? d.value : undefined,
      valueMap: d.valueMap && typeof d.valueMap === 'object' ? (d.valueMap as Record<string, string>) : undefined,
    }));
}

/** gjson syntax beyond plain dotted paths (wildcards, queries, modifiers, multipaths): not evaluated here. */
const GJSON_SPECIAL = /[*?#@|!{}\[\]]/;

function splitPath(property: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < property.length; i++) {
    const ch = property[i];
    if (ch === '\\' && i + 1 < property.length) current += property[++i];
    else if (ch === '.') { parts.push(current); current = ''; }
    else current += ch;
  }
  parts.push(current);
  return parts;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Whether GetSecret(key, version, property) returns a value, and why not. */
export function fakeCanServe(entries: FakeEntry[], key: string, version: string, property: string | undefined): Servable {
  const entry = entries.find((e) => e.key === key && e.version === version);
  if (!entry) {
    return { ok: false, missing: 'key', reason: `has no entry with key "${key}"${version ? ` and version "${version}"` : ''}`, candidates: entries.map((e) => e.key) };
  }
  if (!property) return { ok: true };
  const mapKeys = Object.keys(entry.valueMap ?? {});
  if (entry.value === undefined) {
    return {
      ok: false,
      missing: 'property',
      reason: mapKeys.length
        ? `serves entry "${key}" only as a valueMap, which it never reads for a property (properties come from a JSON \`value\`)`
        : `has no \`value\` in entry "${key}" to read property "${property}" from`,
      candidates: [],
    };
  }
  if (GJSON_SPECIAL.test(property)) return { ok: 'unknown' };
  const parsed = parseJson(entry.value);
  if (!parsed.ok) return { ok: false, missing: 'property', reason: `has a \`value\` in entry "${key}" that is not JSON, so no property "${property}"`, candidates: [] };
  let current: unknown = parsed.value;
  let available: string[] = [];
  for (const segment of splitPath(property)) {
    if (current === null || typeof current !== 'object') { current = undefined; break; }
    available = Object.keys(current as object);
    if (!Object.prototype.hasOwnProperty.call(current, segment)) { current = undefined; break; }
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined) return { ok: false, missing: 'property', reason: `has no property "${property}" in the \`value\` of entry "${key}"`, candidates: available };
  return { ok: true };
}
