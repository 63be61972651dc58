// A strict XML 1.0 well-formedness checker for test/check.test.ts (no dependency): it throws on
// anything a conforming parser rejects in the constructs JUnit reports use — the declaration,
// elements, attributes (quoted, unique, no raw `<`), character and entity references (the five
// predefined entities and legal &#…; only), comments, CDATA, characters outside XML's Char
// production (lone surrogates included), `]]>` in text, mismatched or unclosed tags, and
// anything but one root element. It returns the tree with attribute values normalised as the
// specification says (raw tab, CR and LF become spaces; character references survive), so tests
// compare decoded values with the originals. No DTDs: a DOCTYPE is an error here.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data, decoded, concatenated. */
  text: string;
  line: number;
}

export class XmlError extends Error {}

const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

export function parseXml(src: string): XmlElement {
  let i = 0;
  const lineAt = (at: number) => src.slice(0, at).split('\n').length;
  const fail = (why: string): never => {
    throw new XmlError(`line ${lineAt(i)}: ${why}`);
  };
  for (const ch of src) {
    const cp = ch.codePointAt(0)!;
    if (!isXmlChar(cp)) throw new XmlError(`line ${lineAt(src.indexOf(ch))}: U+${cp.toString(16).toUpperCase().padStart(4, '0')} is not an XML character`);
  }
  const startsWith = (s: string) => src.startsWith(s, i);
  const skipSpace = () => {
    const from = i;
    while (i < src.length && ' \t\r\n'.includes(src[i]!)) i++;
    return i > from;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (!m) fail(`expected a name, got ${JSON.stringify(src.slice(i, i + 10))}`);
    i += m![0].length;
    return m![0];
  };
  const reference = (): string => {
    // at '&'
    const end = src.indexOf(';', i);
    if (end < 0) fail('& without ;');
    const body = src.slice(i + 1, end);
    let out: string | undefined;
    if (/^#[0-9]+$/.test(body) || /^#x[0-9A-Fa-f]+$/.test(body)) {
      const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!isXmlChar(cp)) fail(`&${body}; is not an XML character`);
      out = String.fromCodePoint(cp);
    } else {
      out = ENTITIES[body];
      if (out === undefined) fail(`unknown entity &${body};`);
    }
    i = end + 1;
    return out!;
  };
  const comment = () => {
    const end = src.indexOf('-->', i + 4);
    if (end < 0) fail('unterminated comment');
    if (src.slice(i + 4, end).includes('--') || src[end - 1] === '-') fail('-- inside a comment');
    i = end + 3;
  };
  const pi = () => {
    const end = src.indexOf('?>', i);
    if (end < 0) fail('unterminated processing instruction');
    i += 2;
    const target = name();
    if (target.toLowerCase() === 'xml') fail('an XML declaration that is not at the start');
    i = end + 2;
  };
  const misc = () => {
    for (;;) {
      skipSpace();
      if (startsWith('<!--')) comment();
      else if (startsWith('<?')) pi();
      else if (startsWith('<!DOCTYPE')) fail('DOCTYPE not supported');
      else return;
    }
  };
  const attrValue = (): string => {
    const q = src[i];
    if (q !== '"' && q !== "'") fail('attribute value without quotes');
    i++;
    let out = '';
    for (;;) {
      if (i >= src.length) fail('unterminated attribute value');
      const c = src[i]!;
      if (c === q) { i++; return out; }
      if (c === '<') fail('< in an attribute value');
      if (c === '&') { out += reference(); continue; }
      // Attribute-value normalisation: literal white space characters become spaces.
      out += c === '\t' || c === '\n' || c === '\r' ? ' ' : c;
      i++;
    }
  };
  const element = (): XmlElement => {
    const line = lineAt(i);
    i++; // '<'
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '', line };
    for (;;) {
      const spaced = skipSpace();
      if (startsWith('/>')) { i += 2; return el; }
      if (startsWith('>')) { i++; break; }
      if (!spaced) fail(`expected white space before an attribute in <${el.name}>`);
      const attr = name();
      if (attr in el.attrs) fail(`attribute ${attr} repeated in <${el.name}>`);
      skipSpace();
      if (src[i] !== '=') fail(`expected = after ${attr}`);
      i++;
      skipSpace();
      el.attrs[attr] = attrValue();
    }
    for (;;) {
      if (i >= src.length) fail(`<${el.name}> is never closed`);
      if (startsWith('</')) {
        i += 2;
        const end = name();
        if (end !== el.name) fail(`</${end}> closes <${el.name}>`);
        skipSpace();
        if (src[i] !== '>') fail('expected > in an end tag');
        i++;
        return el;
      }
      if (startsWith('<!--')) comment();
      else if (startsWith('<![CDATA[')) {
        const end = src.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA');
        el.text += src.slice(i + 9, end);
        i = end + 3;
      } else if (startsWith('<?')) pi();
      else if (startsWith('<')) el.children.push(element());
      else if (startsWith('&')) el.text += reference();
      else if (startsWith(']]>')) fail(']]> in character data');
      else {
        // Line ends are normalised to LF, as a parser does.
        el.text += src[i] === '\r' ? (src[i + 1] === '\n' ? '' : '\n') : src[i];
        i++;
      }
    }
  };

  if (src.charCodeAt(0) === 0xfeff) i = 1;
  if (startsWith('<?xml')) {
    const end = src.indexOf('?>', i);
    if (end < 0) fail('unterminated XML declaration');
    const decl = src.slice(i, end + 2);
    if (!/^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>$/.test(decl)) fail(`bad XML declaration ${decl}`);
    i = end + 2;
  }
  misc();
  if (!startsWith('<') || startsWith('</')) fail('no root element');
  const root = element();
  misc();
  if (i < src.length) fail(`content after the root element: ${JSON.stringify(src.slice(i, i + 20))}`);
  return root;
}

/** Every element named `name` under (and including) `el`, in document order. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => findAll(c, name))];
}
