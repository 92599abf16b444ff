// Flux's postBuild variable substitution language: a line-for-line port of github.com/fluxcd/pkg/envsubst v1.1.0
// (parse/scan.go, parse/parse.go, template.go, funcs.go), the version kustomize-controller v1.4.0 (Flux v2.4.0)
// builds with. Ported rather than approximated with a regular expression, because the reconciler's quirks are the
// point: `${VAR-x}` and `${}` are errors, `$${VAR}` is a literal `${VAR}`, `${VAR=x}` also replaces an empty value,
// and lengths and substrings count bytes.

export class EnvsubstError extends Error {}

// parse/parse.go's error values, with their messages
const ErrBadSubstitution = 'bad substitution';
const ErrMissingClosingBrace = 'missing closing brace';
const ErrParseVariableName = 'unable to parse variable name';
const ErrParseFuncSubstitution = 'unable to parse substitution within function';
const ErrParseDefaultFunction = 'unable to parse default function';

type Node = { text: string } | { param: string; name: string; args: Node[] } | { nodes: Node[] };

const EOF = 0; // scan.go: `var eof = rune(0)`
const Token = { Illegal: 0, EOF: 1, Ident: 2, Lbrack: 3, Rbrack: 4 } as const;
type Token = (typeof Token)[keyof typeof Token];
const SCAN_IDENT = 1;
const SCAN_LBRACK = 2;
const SCAN_RBRACK = 4;
const SCAN_ESCAPE = 8;
const DOLLAR = 1;
const BACKSLASH = 2;
const ESCAPE_ALL = DOLLAR | BACKSLASH;

type Accept = (r: number, i: number) => boolean;
const ch = (c: string) => c.codePointAt(0)!;
const isLetter = (r: number) => /\p{L}/u.test(String.fromCodePoint(r));
const isDigit = (r: number) => /\p{Nd}/u.test(String.fromCodePoint(r));

const acceptRune: Accept = () => true;
const acceptIdent: Accept = (r) => isLetter(r) || isDigit(r) || r === ch('_');
const acceptColon: Accept = (r) => r === ch(':');
const acceptOneHash: Accept = (r, i) => r === ch('#') && i === 1;
const acceptNotClosing: Accept = (r) => r !== ch('}');
const acceptHashFunc: Accept = (r, i) => r === ch('#') && i < 3;
const acceptPercentFunc: Accept = (r, i) => r === ch('%') && i < 3;
const acceptDefaultFunc: Accept = (r, i) => (i === 1 && r === ch(':')) || (i === 2 && [ch('='), ch('-'), ch('?'), ch('+')].includes(r));
const acceptReplaceFunc: Accept = (r, i) => (i === 1 && r === ch('/')) || (i === 2 && [ch('/'), ch('#'), ch('%')].includes(r));
const acceptOneEqual: Accept = (r, i) => i === 1 && r === ch('=');
const acceptOneColon: Accept = (r, i) => i === 1 && r === ch(':');
const rejectColonClose: Accept = (r) => r !== ch(':') && r !== ch('}');
const acceptSlash: Accept = (r) => r === ch('/');
const acceptNotSlash: Accept = (r) => r !== ch('/');
const acceptCasingFunc: Accept = (r, i) => (r === ch(',') || r === ch('^')) && i < 3;

class Scanner {
  buf: string;
  pos = 0;
  start = 0;
  width = 0;
  mode = 0;
  escapeChars = 0;
  accept: Accept = acceptRune;

  constructor(buf: string) {
    this.buf = buf;
  }

  read(): number {
    if (this.pos >= this.buf.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.buf.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }

  unread(): void {
    this.pos -= this.width;
  }

  /** Drops the character before pos: the first of an escape pair. */
  skip(): void {
    this.buf = this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos);
  }

  peek(): number {
    const r = this.read();
    this.unread();
    return r;
  }

  string(): string {
    return this.buf.slice(this.start, this.pos);
  }

  scan(): Token {
    this.start = this.pos;
    const r = this.read();
    if (r === EOF) return Token.EOF;
    if (this.scanLbrack(r)) return Token.Lbrack;
    if (this.scanRbrack(r)) return Token.Rbrack;
    if (this.scanIdent(r)) return Token.Ident;
    return Token.Illegal;
  }

  scanIdent(r: number): boolean {
    if ((this.mode & SCAN_IDENT) === 0) return false;
    if (this.scanEscaped(r)) this.skip();
    else if (!this.accept(r, this.pos - this.start)) return false;
    for (;;) {
      const next = this.read();
      if (next === EOF) {
        this.unread();
        break;
      }
      if (this.scanLbrack(next)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.scanEscaped(next)) {
        this.skip();
        continue;
      }
      if (!this.accept(next, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }

  scanLbrack(r: number): boolean {
    if ((this.mode & SCAN_LBRACK) === 0) return false;
    if (r === ch('$')) {
      if (this.read() === ch('{')) return true;
      this.unread();
    }
    return false;
  }

  scanRbrack(r: number): boolean {
    return (this.mode & SCAN_RBRACK) !== 0 && r === ch('}');
  }

  scanEscaped(r: number): boolean {
    if ((this.mode & SCAN_ESCAPE) === 0) return false;
    if (r === ch('$') && (this.escapeChars & DOLLAR) !== 0 && this.peek() === ch('$')) return true;
    if (r === ch('\\') && (this.escapeChars & BACKSLASH) !== 0) {
      const next = this.peek();
      return next === ch('/') || next === ch('\\');
    }
    return false;
  }
}

class Parser {
  s: Scanner;
  constructor(text: string) {
    this.s = new Scanner(text);
  }

  /** parseAny, as a loop: the Go version recurses once per token, which a long document would turn into a deep stack. */
  parseAny(): Node {
    const nodes: Node[] = [];
    for (;;) {
      this.s.accept = acceptRune;
      this.s.mode = SCAN_IDENT | SCAN_LBRACK | SCAN_ESCAPE;
      this.s.escapeChars = DOLLAR;
      const token = this.s.scan();
      if (token === Token.Ident) nodes.push({ text: this.s.string() });
      else if (token === Token.EOF) return { nodes };
      else if (token === Token.Lbrack) nodes.push(this.parseFunc());
      else throw new EnvsubstError(ErrBadSubstitution);
    }
  }

  parseFunc(): Node {
    const s = this.s;
    s.escapeChars = ESCAPE_ALL;
    if (s.peek() === ch('#')) return this.parseLenFunc();
    s.accept = acceptIdent;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ErrParseVariableName);
    const name = s.string();
    switch (String.fromCodePoint(s.peek() || 32)) {
      case ':':
        return this.parseDefaultOrSubstr(name);
      case '=':
        return this.parseDefaultFunc(name);
      case ',':
      case '^':
        return this.parseCasingFunc(name);
      case '/':
        return this.parseReplaceFunc(name);
      case '#':
        return this.parseRemoveFunc(name, acceptHashFunc);
      case '%':
        return this.parseRemoveFunc(name, acceptPercentFunc);
    }
    s.accept = acceptIdent;
    s.mode = SCAN_RBRACK;
    if (s.scan() === Token.Rbrack) return { param: name, name: '', args: [] };
    throw new EnvsubstError(ErrMissingClosingBrace);
  }

  parseParam(accept: Accept, mode: number): Node {
    const s = this.s;
    s.accept = accept;
    s.mode = mode | SCAN_LBRACK;
    const token = s.scan();
    if (token === Token.Lbrack) return this.parseFunc();
    if (token === Token.Ident || token === Token.Rbrack) return { text: s.string() };
    throw new EnvsubstError(ErrParseFuncSubstitution);
  }

  parseDefaultOrSubstr(name: string): Node {
    const s = this.s;
    s.read();
    const r = s.peek();
    s.unread();
    if ([ch('='), ch('-'), ch('?'), ch('+')].includes(r)) return this.parseDefaultFunc(name);
    return this.parseSubstrFunc(name);
  }

  parseSubstrFunc(param: string): Node {
    const s = this.s;
    const node = { param, name: '', args: [] as Node[] };
    s.accept = acceptOneColon;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ErrBadSubstitution);
    node.name = s.string();
    node.args.push(this.parseParam(rejectColonClose, SCAN_IDENT));
    s.accept = acceptColon;
    s.mode = SCAN_IDENT | SCAN_RBRACK;
    const token = s.scan();
    if (token === Token.Rbrack) return node;
    if (token !== Token.Ident) throw new EnvsubstError(ErrBadSubstitution);
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    this.consumeRbrack();
    return node;
  }

  parseRemoveFunc(param: string, accept: Accept): Node {
    const s = this.s;
    const node = { param, name: '', args: [] as Node[] };
    s.accept = accept;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ErrBadSubstitution);
    node.name = s.string();
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    this.consumeRbrack();
    return node;
  }

  parseReplaceFunc(param: string): Node {
    const s = this.s;
    const node = { param, name: '', args: [] as Node[] };
    s.accept = acceptReplaceFunc;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ErrBadSubstitution);
    node.name = s.string();
    node.args.push(this.parseParam(acceptNotSlash, SCAN_IDENT | SCAN_ESCAPE));
    s.accept = acceptSlash;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ErrBadSubstitution);
    if (s.peek() === ch('}')) {
      this.consumeRbrack();
      return node;
    }
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT | SCAN_ESCAPE));
    this.consumeRbrack();
    return node;
  }

  parseDefaultFunc(param: string): Node {
    const s = this.s;
    const node = { param, name: '', args: [] as Node[] };
    s.accept = s.peek() === ch('=') ? acceptOneEqual : acceptDefaultFunc;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ErrParseDefaultFunction);
    node.name = s.string();
    for (;;) {
      if (s.peek() === ch('}')) {
        this.consumeRbrack();
        return node;
      }
      node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    }
  }

  parseCasingFunc(param: string): Node {
    const s = this.s;
    const node = { param, name: '', args: [] as Node[] };
    s.accept = acceptCasingFunc;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ErrBadSubstitution);
    node.name = s.string();
    this.consumeRbrack();
    return node;
  }

  parseLenFunc(): Node {
    const s = this.s;
    const node = { param: '', name: '', args: [] as Node[] };
    s.accept = acceptOneHash;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ErrBadSubstitution);
    node.name = s.string();
    s.accept = acceptIdent;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ErrBadSubstitution);
    node.param = s.string();
    this.consumeRbrack();
    return node;
  }

  consumeRbrack(): void {
    this.s.mode = SCAN_RBRACK;
    if (this.s.scan() !== Token.Rbrack) throw new EnvsubstError(ErrBadSubstitution);
  }
}

// ---------------------------------------------------------------- funcs.go (Go strings are bytes: so are these)

type Fn = (s: string, args: string[]) => string;
const bytes = (s: string) => Buffer.from(s, 'utf8');
const goAtoi = (s: string): number | undefined => (/^[+-]?\d+$/.test(s) ? Number(s) : undefined);

const toLen: Fn = (s) => String(bytes(s).length);
const toLower: Fn = (s) => s.toLowerCase();
const toUpper: Fn = (s) => s.toUpperCase();
const toLowerFirst: Fn = (s) => (s === '' ? s : [...s][0].toLowerCase() + s.slice([...s][0].length));
const toUpperFirst: Fn = (s) => (s === '' ? s : [...s][0].toUpperCase() + s.slice([...s][0].length));
const toDefault: Fn = (s, args) => (s.length === 0 && args.length > 0 ? args.join('') : s);

const toSubstr: Fn = (s, args) => {
  if (args.length === 0) return s;
  const b = bytes(s);
  let pos = goAtoi(args[0]);
  if (pos === undefined) return s;
  if (pos < 0) pos = Math.max(0, b.length + pos);
  if (args.length === 1) return pos < b.length ? b.subarray(pos).toString('utf8') : '';
  const length = goAtoi(args[1]);
  if (length === undefined) return s;
  if (pos + length >= b.length) return pos < b.length ? b.subarray(pos).toString('utf8') : '';
  return b.subarray(pos, pos + length).toString('utf8');
};

const replaceAll: Fn = (s, args) => (args.length === 0 ? s : s.split(args[0]).join(args[1] ?? ''));
const replaceFirst: Fn = (s, args) => (args.length === 0 ? s : goReplaceOnce(s, args[0], args[1] ?? ''));
const replacePrefix: Fn = (s, args) => (args.length === 2 && s.startsWith(args[0]) ? goReplaceOnce(s, args[0], args[1]) : s);
const replaceSuffix: Fn = (s, args) => (args.length === 2 && s.endsWith(args[0]) ? s.slice(0, s.length - args[0].length) + args[1] : s);
/** strings.Replace(s, old, new, 1): an empty `old` inserts `new` at the start. */
function goReplaceOnce(s: string, old: string, replacement: string): string {
  const at = s.indexOf(old);
  return at < 0 ? s : s.slice(0, at) + replacement + s.slice(at + old.length);
}

/** envsubst/path/match.go Match: path.Match's language (*, ?, [...], \\ escapes) minus its separator: `*` and `?` also match `/`. */
function pathMatch(pattern: string, name: string): boolean | 'error' {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) return 'error';
      source += escapeRegExp(pattern[++i]);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return 'error';
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^')) body = '^' + body.slice(1).replace(/[\]\\]/g, '\\$&');
      else body = body.replace(/[\]\\^]/g, '\\$&');
      source += `[${body}]`;
      i = end;
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 's').test(name);
}
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const reverse = (s: string) => [...s].reverse().join('');

function trimShortest(s: string, arg: string): string {
  let shortest = '';
  for (let i = 0; i < s.length; i++) {
    const match = pathMatch(arg, s.slice(0, s.length - i));
    if (match === 'error') return s;
    if (match) shortest = s.slice(0, s.length - i);
  }
  return shortest !== '' && s.startsWith(shortest) ? s.slice(shortest.length) : s;
}
function trimLongest(s: string, arg: string): string {
  for (let i = 0; i < s.length; i++) {
    const match = pathMatch(arg, s.slice(0, s.length - i));
    if (match === 'error') return s;
    if (match) return s.slice(s.length - i);
  }
  return s;
}
const trimShortestPrefix: Fn = (s, args) => (args.length ? trimShortest(s, args[0]) : s);
const trimShortestSuffix: Fn = (s, args) => (args.length ? reverse(trimShortest(reverse(s), reverse(args[0]))) : s);
const trimLongestPrefix: Fn = (s, args) => (args.length ? trimLongest(s, args[0]) : s);
const trimLongestSuffix: Fn = (s, args) => (args.length ? reverse(trimLongest(reverse(s), reverse(args[0]))) : s);

function lookupFunc(name: string, argCount: number): Fn {
  switch (name) {
    case ',':
      return toLowerFirst;
    case ',,':
      return toLower;
    case '^':
      return toUpperFirst;
    case '^^':
      return toUpper;
    case '#':
      return argCount === 0 ? toLen : trimShortestPrefix;
    case '##':
      return trimLongestPrefix;
    case '%':
      return trimShortestSuffix;
    case '%%':
      return trimLongestSuffix;
    case ':':
      return toSubstr;
    case '/#':
      return replacePrefix;
    case '/%':
      return replaceSuffix;
    case '/':
      return replaceFirst;
    case '//':
      return replaceAll;
    default:
      // "=", ":=", ":-", and also ":?", ":+", "-", "+": envsubst treats them all as a default
      return toDefault;
  }
}

// ---------------------------------------------------------------- template.go

export type Mapping = (name: string) => { value: string; exists: boolean };

function evaluate(node: Node, mapping: Mapping): string {
  if ('text' in node) return node.text;
  if ('nodes' in node) return node.nodes.map((n) => evaluate(n, mapping)).join('');
  const args = node.args.map((n) => evaluate(n, mapping));
  const { value, exists } = mapping(node.param);
  if (node.name === '' && !exists) throw new EnvsubstError(`variable not set (strict mode): ${JSON.stringify(node.param)}`);
  return lookupFunc(node.name, args.length)(value, args);
}

/** envsubst.Eval: parses `text` and substitutes every `${...}`; throws EnvsubstError with envsubst's own message. */
export function envsubst(text: string, mapping: Mapping): string {
  return evaluate(new Parser(text).parseAny(), mapping);
}
