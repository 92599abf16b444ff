// Reading kustomize's output fast. kustomize (kyaml, over go-yaml v3) always writes the same small part of YAML:
// block maps and sequences indented by two, sequences at their key's indent, plain / single- / double-quoted
// scalars on one line, literal block scalars, `{}` and `[]`. This reader takes exactly that part, resolves
// scalars as the `yaml` library's default (YAML 1.2 core) schema does, and gives up on anything else (anchors,
// tags, flow collections with content, folded or multi-line scalars, tabs, duplicate keys), so the caller falls
// back to the full `yaml` parser for that one document. Positions are not kept: the render stage needs none.
import { parse } from 'yaml';
import { MAX_ALIAS_COUNT } from '../core/yaml-source.ts';

/** The reader met something outside kustomize's subset: parse this document with the full parser instead. */
export class OutsideSubset extends Error {}

interface Line {
  indent: number;
  /** The line without its indentation and trailing spaces ('' for a blank line). */
  text: string;
  /** The line without its indentation, as written (block scalars keep trailing spaces and '#'). */
  raw: string;
}

const CORE_NULL = new Set(['~', 'null', 'Null', 'NULL', '']);
const CORE_TRUE = new Set(['true', 'True', 'TRUE']);
const CORE_FALSE = new Set(['false', 'False', 'FALSE']);
const INT_RE = /^[-+]?[0-9]+$/;
const OCT_RE = /^0o[0-7]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF_RE = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN_RE = /^\.(?:nan|NaN|NAN)$/;
// characters that start something this reader does not take when they open a plain scalar
const PLAIN_START_UNSUPPORTED = /^[&*!%@`|>{}[\]]/;

function plainScalar(text: string): unknown {
  if (CORE_NULL.has(text)) return null;
  if (CORE_TRUE.has(text)) return true;
  if (CORE_FALSE.has(text)) return false;
  if (INT_RE.test(text)) return Number(text);
  if (OCT_RE.test(text)) return parseInt(text.slice(2), 8);
  if (HEX_RE.test(text)) return parseInt(text.slice(2), 16);
  if (FLOAT_RE.test(text)) return Number(text);
  if (INF_RE.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (NAN_RE.test(text)) return NaN;
  return text;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

/** A double-quoted scalar that closes on its line; returns the value and the rest of the line. */
function doubleQuoted(text: string): [string, string] {
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return [out, text.slice(i + 1)];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[++i];
    if (e in ESCAPES) out += ESCAPES[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const size = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = text.slice(i + 1, i + 1 + size);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== size) throw new OutsideSubset('bad escape');
      out += String.fromCodePoint(parseInt(hex, 16));
      i += size;
    } else throw new OutsideSubset('escape');
  }
  throw new OutsideSubset('multi-line double-quoted scalar');
}

function singleQuoted(text: string): [string, string] {
  let out = '';
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== "'") {
      out += text[i];
      continue;
    }
    if (text[i + 1] === "'") {
      out += "'";
      i++;
      continue;
    }
    return [out, text.slice(i + 1)];
  }
  throw new OutsideSubset('multi-line single-quoted scalar');
}

// a plain scalar inside [...] that this reader takes: no flow indicators, no ':' or '#', no other indicator first
const FLOW_PLAIN = /^[^\s,[\]{}:#&*!|>'"%@`?-][^,[\]{}:#]*$|^-[^\s,[\]{}:#][^,[\]{}:#]*$/;

/** The items of a one-line flow collection (`[...]` or `{...}`), each read by `item`, comma-separated. */
function flowItems<T>(text: string, close: ']' | '}', item: (rest: string) => [T, string]): T[] {
  const items: T[] = [];
  let rest = text.slice(1).trimStart();
  if (rest.startsWith(close)) {
    expectEnd(rest.slice(1));
    return items;
  }
  for (;;) {
    let value: T;
    [value, rest] = item(rest);
    items.push(value);
    rest = rest.trimStart();
    if (rest[0] === close) {
      expectEnd(rest.slice(1));
      return items;
    }
    if (rest[0] !== ',') throw new OutsideSubset('flow collection');
    rest = rest.slice(1).trimStart();
    if (rest === '' || rest[0] === close || rest[0] === ',') throw new OutsideSubset('flow collection');
  }
}

/** One scalar of a flow collection: quoted, or plain up to the next `,`, `]` or `}`; returns it and the rest. */
function flowScalar(rest: string, stops: RegExp): [unknown, string] {
  if (rest[0] === '"' || rest[0] === "'") return rest[0] === '"' ? doubleQuoted(rest) : singleQuoted(rest);
  const end = rest.search(stops);
  if (end < 0) throw new OutsideSubset('flow collection');
  const plain = rest.slice(0, end).trimEnd();
  if (!FLOW_PLAIN.test(plain)) throw new OutsideSubset('flow collection item');
  return [plainScalar(plain), rest.slice(end)];
}

/**
 * A flow sequence of scalars on one line, as people write `drop: ["ALL"]` (kustomize never does): quoted or plain
 * items, comma-separated. Nested collections, pairs, comments inside, trailing commas and lines that go on decline.
 */
function flowSequence(text: string): unknown[] {
  return flowItems(text, ']', (rest) => flowScalar(rest, /[,\]]/));
}

/** `key: value` inside a flow map: a quoted or plain key, a scalar value. */
function flowPair(rest: string): [[string, unknown], string] {
  let key: unknown;
  if (rest[0] === '"' || rest[0] === "'") [key, rest] = rest[0] === '"' ? doubleQuoted(rest) : singleQuoted(rest);
  else {
    const colon = rest.indexOf(': ');
    if (colon < 0) throw new OutsideSubset('flow map');
    const plain = rest.slice(0, colon).trimEnd();
    if (!FLOW_PLAIN.test(plain) || CORE_NULL.has(plain)) throw new OutsideSubset('flow map key');
    key = plain;
    rest = rest.slice(colon);
  }
  if (!rest.startsWith(': ')) throw new OutsideSubset('flow map');
  const [value, after] = flowScalar(rest.slice(2).trimStart(), /[,}]/);
  return [[String(key), value], after];
}

/** A flow map of scalars on one line, as people write `requests: { cpu: 10m, memory: 64Mi }`; the same limits as flowSequence. */
function flowMap(text: string): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (const [name, value] of flowItems(text, '}', flowPair)) {
    if (Object.prototype.hasOwnProperty.call(map, name)) throw new OutsideSubset('duplicate key');
    if (name === '__proto__') Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
    else map[name] = value;
  }
  return map;
}

/** Nothing but an optional comment may follow a quoted scalar or a collection. */
function expectEnd(rest: string): void {
  if (rest.length > 0 && !/^\s+(#.*)?$/.test(rest)) throw new OutsideSubset('text after a value');
}

class Reader {
  private i = 0;
  constructor(private readonly lines: Line[]) {}

  document(): unknown {
    if (this.lines.length === 0) return null;
    const first = this.lines[0];
    if (first.indent !== 0) throw new OutsideSubset('indented document');
    const value = this.node(0);
    if (this.i < this.lines.length) throw new OutsideSubset('trailing content');
    return value;
  }

  /** A block node whose lines start at `indent` (a map, or a sequence when the line starts with "- "). */
  private node(indent: number): unknown {
    const line = this.lines[this.i];
    if (line.indent !== indent) throw new OutsideSubset('indentation');
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(indent);
    return this.map(indent, undefined);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent !== indent || !(line.text === '-' || line.text.startsWith('- '))) break;
      if (line.text === '-') {
        this.i++;
        items.push(this.nested(indent, false));
        continue;
      }
      // "- x": the item's content starts two columns in; treat it as a line of its own at that indent
      const content = line.text.slice(2).replace(/^ +/, (spaces) => {
        if (spaces.length > 0) throw new OutsideSubset('wide sequence indicator');
        return spaces;
      });
      this.lines[this.i] = { indent: indent + 2, text: content, raw: line.raw.slice(2) };
      items.push(this.inline(indent + 2));
    }
    return items;
  }

  /** The value of a line that starts at `indent` in the middle of a sequence item: a map, a nested sequence or a scalar. */
  private inline(indent: number): unknown {
    const line = this.lines[this.i];
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(indent);
    const split = splitKey(line.text);
    if (split) return this.map(indent, undefined);
    this.i++;
    return this.scalar(line.text, indent - 2);
  }

  private map(indent: number, into: Record<string, unknown> | undefined): Record<string, unknown> {
    const map: Record<string, unknown> = into ?? {};
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent !== indent) break;
      const split = splitKey(line.text);
      if (!split) {
        if (line.text === '-' || line.text.startsWith('- ')) break;
        throw new OutsideSubset('not a key');
      }
      const [key, rest] = split;
      if (Object.prototype.hasOwnProperty.call(map, key)) throw new OutsideSubset('duplicate key');
      this.i++;
      const value = rest === '' ? this.nested(indent, true) : this.scalar(rest, indent);
      if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
      else map[key] = value;
    }
    return map;
  }

  /** The value on the lines after "key:" or "-": deeper lines, a sequence at the key's own indent, or null. */
  private nested(indent: number, keyed: boolean): unknown {
    const next = this.lines[this.i];
    if (!next) return null;
    if (next.indent > indent) return this.node(next.indent);
    if (keyed && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) return this.sequence(indent);
    return null;
  }

  /** A value written on the line itself. `indent` is the indent of the line's key, for block scalars. */
  private scalar(text: string, indent: number): unknown {
    const c = text[0];
    if (c === '"') {
      const [value, rest] = doubleQuoted(text);
      expectEnd(rest);
      return value;
    }
    if (c === "'") {
      const [value, rest] = singleQuoted(text);
      expectEnd(rest);
      return value;
    }
    if (text === '{}' || text === '[]') return text === '{}' ? {} : [];
    if (c === '[') return flowSequence(text);
    if (c === '{') return flowMap(text);
    if (c === '|') return this.literal(text, indent);
    if (PLAIN_START_UNSUPPORTED.test(text) || text.startsWith('- ') || text === '-' || text.startsWith('#')) throw new OutsideSubset('indicator');
    const comment = text.indexOf(' #');
    const plain = (comment >= 0 ? text.slice(0, comment) : text).trimEnd();
    if (plain.includes(': ') || plain.endsWith(':')) throw new OutsideSubset('plain scalar with ": "');
    // a plain scalar may go on over deeper lines (folded into one): not kustomize's way, so not this reader's
    const next = this.lines[this.i];
    if (next && next.indent > indent && !(next.text.startsWith('- ') && next.indent === indent)) throw new OutsideSubset('multi-line plain scalar');
    return plainScalar(plain);
  }

  /** A literal block scalar: "|", "|-" or "|+", its lines deeper than the key. */
  private literal(header: string, indent: number): string {
    const m = /^\|([-+]?)(?:\s+#.*)?$/.exec(header);
    if (!m) throw new OutsideSubset('block scalar header');
    const chomp = m[1];
    const body: string[] = [];
    let blockIndent: number | undefined;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent === BLANK) {
        body.push('');
        this.i++;
        continue;
      }
      if (line.indent <= indent) break;
      blockIndent ??= line.indent;
      if (line.indent < blockIndent) throw new OutsideSubset('block scalar indentation');
      body.push(' '.repeat(line.indent - blockIndent) + line.raw);
      this.i++;
    }
    // trailing empty lines belong to the chomping, not to the next key
    let trailing = 0;
    while (body.length > 0 && body[body.length - 1] === '') {
      body.pop();
      trailing++;
    }
    if (body.length === 0) return '';
    const text = body.join('\n');
    if (chomp === '-') return text;
    if (chomp === '+') return text + '\n'.repeat(trailing + 1);
    return text + '\n';
  }
}

/** "key: rest" or "key:" -> [key, rest]; undefined when the line is not a key. */
function splitKey(text: string): [string, string] | undefined {
  let key: string;
  let after: string;
  if (text[0] === '"' || text[0] === "'") {
    const [value, rest] = text[0] === '"' ? doubleQuoted(text) : singleQuoted(text);
    if (!rest.startsWith(':')) return undefined;
    key = value;
    after = rest.slice(1);
  } else {
    if (text.startsWith('- ') || text === '-' || text.startsWith('? ')) return undefined;
    const colon = text.search(/:(?: |$)/);
    if (colon < 0) return undefined;
    // `a   # note: b` is the scalar a and a comment
    const comment = text.indexOf(' #');
    if (comment >= 0 && comment < colon) return undefined;
    key = text.slice(0, colon);
    if (key.length === 0 || PLAIN_START_UNSUPPORTED.test(key) || key.includes(' #') || CORE_NULL.has(key)) throw new OutsideSubset('key');
    after = text.slice(colon + 1);
  }
  if (after !== '' && !after.startsWith(' ')) return undefined;
  const rest = after.trim();
  return [key, rest.startsWith('#') ? '' : rest];
}

const BLANK = Number.MAX_SAFE_INTEGER;
const OPENS_LITERAL = /(?:^|: |^- )\|[-+]?(?:\s+#.*)?$/;

/**
 * The document's lines. Blank and comment lines are dropped, except inside a literal block scalar, where they
 * are content; a blank line there has no indentation of its own.
 */
function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let blockParent: number | undefined;
  for (const written of text.split('\n')) {
    const line = written.endsWith('\r') ? written.slice(0, -1) : written;
    if (line.includes('\t')) throw new OutsideSubset('tab');
    const raw = line.trimStart();
    const indent = line.length - raw.length;
    const blank = raw.trim() === '';
    if (blockParent !== undefined && !blank && indent <= blockParent) blockParent = undefined;
    if (blockParent === undefined && (blank || raw.startsWith('#'))) continue;
    lines.push(blank ? { indent: BLANK, text: '', raw: '' } : { indent, text: raw.trimEnd(), raw });
    if (blockParent === undefined && OPENS_LITERAL.test(raw.trimEnd())) blockParent = indent;
  }
  return lines;
}

/** One document of kustomize's output as plain data; throws OutsideSubset when the full parser must read it. */
export function readRenderedDocument(text: string): unknown {
  return new Reader(linesOf(text)).document();
}

/** One document as plain data: by this reader where it can, else by the `yaml` library (which throws on bad YAML). */
export function readYamlDocument(text: string): unknown {
  try {
    return readRenderedDocument(text);
  } catch (error) {
    if (!(error instanceof OutsideSubset)) throw error;
    return parse(text, { maxAliasCount: MAX_ALIAS_COUNT });
  }
}

/** The documents of a multi-document stream, split on kustomize's `---` lines, each with its own text. */
export function splitDocuments(text: string): string[] {
  const docs: string[] = [];
  let start = 0;
  const re = /^---[ \t]*$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    docs.push(text.slice(start, m.index));
    start = m.index + m[0].length + 1;
  }
  docs.push(text.slice(start));
  return docs.filter((d) => d.trim() !== '');
}

/**
 * Whether every document of a file is inside the subset this reader takes. Such a file has no syntax error, duplicate
 * key or alias for the full parser to find, so a pre-render check can skip parsing it with positions.
 */
export function readsAsSubset(text: string): boolean {
  try {
    for (const document of splitDocuments(text)) readRenderedDocument(document);
    return true;
  } catch (error) {
    if (error instanceof OutsideSubset) return false;
    throw error;
  }
}
