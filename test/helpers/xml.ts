// A small XML well-formedness check for tests (no XML dependency): one root, balanced and properly nested tags,
// quoted attributes without a raw `<` or `&`, known entity references only, no characters XML 1.0 forbids.
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_][\\w.-]*';
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const decode = (s: string) =>
  s.replace(ENTITY, (e) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" })[e] ?? String.fromCodePoint(e[2] === 'x' ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10)));

function checkText(text: string, where: number): void {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(text)) throw new Error(`character not allowed in XML at ${where}`);
  if (text.replace(ENTITY, '').includes('&')) throw new Error(`bare & at ${where}`);
  if (text.includes('<')) throw new Error(`bare < at ${where}`);
}

export function parseXml(xml: string): XmlElement {
  let at = 0;
  const prolog = /^<\?xml [^?]*\?>\n?/.exec(xml);
  if (prolog) at = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}="[^"]*")*)\\s*(/?)>`, 'y');
  while (at < xml.length) {
    const next = xml.indexOf('<', at);
    const text = xml.slice(at, next === -1 ? xml.length : next);
    checkText(text, at);
    if (stack.length) stack[stack.length - 1].text += decode(text);
    else if (text.trim()) throw new Error(`text outside the root element at ${at}`);
    if (next === -1) break;
    tag.lastIndex = next;
    const m = tag.exec(xml);
    if (!m) throw new Error(`malformed tag at ${next}: ${xml.slice(next, next + 40)}`);
    const [, closing, name, attrs, selfClosing] = m;
    at = tag.lastIndex;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> at ${next} closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const a of attrs.matchAll(new RegExp(`(${NAME})="([^"]*)"`, 'g'))) {
      checkText(a[2], next);
      if (a[1] in attributes) throw new Error(`attribute ${a[1]} twice at ${next}`);
      attributes[a[1]] = decode(a[2]);
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    if (stack.length) stack[stack.length - 1].children.push(element);
    else if (root) throw new Error(`a second root element at ${next}`);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}
