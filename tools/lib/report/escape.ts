// Everything in a report that came from the repository (names, messages, paths, rule ids,
// cluster names) passes through here before it reaches the bot's comment, so a pull
// request cannot inject markdown, HTML, @-mentions or issue references into it.

/** U+200D ZERO WIDTH JOINER: breaks GitHub's mention and reference autolinking without visible change. */
const JOINER = '\u200d';

/** Bidi overrides and isolates ("Trojan Source") and other invisible format characters. */
const INVISIBLE_FORMAT_CHARS = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]+/g;

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** ASCII punctuation with a meaning somewhere in GitHub-flavoured markdown (CommonMark allows escaping any of it). */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~$=:']/;

/** Cuts raw text to at most `max` code points, ending in an ellipsis, before any escaping (so no escape is split). */
export function clip(text: string, max: number): string {
  const codePoints = [...text];
  if (codePoints.length <= max) return text;
  return codePoints.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/**
 * Escapes text for an inline position (paragraph, list item, table cell, link text).
 * Newlines and control characters become single spaces: an inline value never starts a block.
 */
export function escapeInline(raw: string, maxLength = 500): string {
  const text = clip(String(raw), maxLength).replace(INVISIBLE_FORMAT_CHARS, '').replace(CONTROL_CHARS, ' ');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const next = text[i + 1] ?? '';
    if (ch in HTML_ENTITIES) out += HTML_ENTITIES[ch];
    else if (ch === '@' && /[\p{L}\p{N}_-]/u.test(next)) out += '@' + JOINER;
    else if (ch === '#' && /[\p{N}]/u.test(next)) out += '\\#' + JOINER;
    // GitHub autolinks GH-123 (any case) to issue 123, as it does #123
    else if (/^gh-\p{N}/iu.test(text.slice(i, i + 4)) && !/[\p{L}\p{N}_]/u.test(text[i - 1] ?? '')) {
      out += ch + next + JOINER;
      i++;
    }
    else if (ch === ':' && text.startsWith('//', i + 1)) out += '&#58;';
    else if (MARKDOWN_PUNCTUATION.test(ch)) out += '\\' + ch;
    else out += ch;
  }
  // Autolinked "www." hosts would still become links; a joiner after the first dot stops that.
  return out.replace(/www\\\./gi, (m) => m + JOINER);
}

/**
 * A fenced code block that the content cannot close: the fence is longer than any backtick
 * run inside. Code blocks are literal, so HTML and mentions inside them are inert.
 */
export function codeBlock(raw: string, language = '', maxLength = 2000): string {
  const text = clip(String(raw), maxLength).replace(INVISIBLE_FORMAT_CHARS, '').replace(/\r\n?/g, '\n');
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const info = language.replace(/[^a-z0-9-]/gi, '');
  return `${fence}${info}\n${text.replace(/\n+$/, '')}\n${fence}`;
}

/**
 * Percent-encodes a repository-relative path for a URL, segment by segment. Returns
 * undefined for paths that could leave the repository (empty, absolute, dot segments).
 */
export function encodeRepoPath(path: string): string | undefined {
  const segments = path.split('/');
  if (segments.length === 0 || segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  if (segments.some((s) => /^(%2e|\.){1,2}$/i.test(s))) return undefined;
  return segments
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()))
    .join('/');
}

/** A markdown link whose text is escaped and whose URL is only ever built by us from encoded parts. */
export function link(escapedText: string, url: string): string {
  if (!/^https?:\/\/[^\s<>()]+$/.test(url)) return escapedText;
  return `[${escapedText}](${url})`;
}
