/**
 * A deliberately small XML 1.0 well-formedness checker and tree builder, so
 * the JUnit tests need no XML dependency. It accepts exactly what the JUnit
 * reporter should emit (declaration, elements, double-quoted attributes, text,
 * the five predefined entities and character references) and throws on
 * anything else, including what a hostile supplier might smuggle in: illegal
 * characters, raw `<`/`&`, `]]>` in text, unbalanced tags, CDATA.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Decoded text directly inside this element. */
  text: string;
}

/** Anything outside XML 1.0's Char production. */
const ILLEGAL_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const NAME = '[A-Za-z_][A-Za-z0-9_.:-]*';
const START_TAG = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`, 'y');
const END_TAG = new RegExp(`</(${NAME})\\s*>`, 'y');
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*"([^"<]*)"`, 'g');
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/y;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Parses `xml`, throwing an Error saying where it is not well-formed.
 *
 * @example
 *   parseXml('<?xml version="1.0"?><a b="1"><c/></a>').children[0]?.name; // 'c'
 */
export function parseXml(xml: string): XmlElement {
  const illegal = ILLEGAL_CHAR.exec(xml);
  if (illegal) throw new Error(`illegal character U+${illegal[0].codePointAt(0)?.toString(16)} at ${illegal.index}`);
  let position = 0;
  const declaration = /^<\?xml [^?]*\?>/.exec(xml);
  if (declaration) position = declaration[0].length;

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (position < xml.length) {
    if (xml.startsWith('</', position)) {
      END_TAG.lastIndex = position;
      const match = END_TAG.exec(xml);
      const open = stack.pop();
      if (!match || !open || open.name !== match[1]) throw new Error(`unexpected end tag at ${position}`);
      position = END_TAG.lastIndex;
    } else if (xml.startsWith('<', position)) {
      START_TAG.lastIndex = position;
      const match = START_TAG.exec(xml);
      if (!match) throw new Error(`malformed tag at ${position}: ${xml.slice(position, position + 40)}`);
      const element: XmlElement = { name: match[1] ?? '', attributes: parseAttributes(match[2] ?? ''), children: [], text: '' };
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root) throw new Error(`second root element at ${position}`);
      else root = element;
      if (match[3] !== '/') stack.push(element);
      position = START_TAG.lastIndex;
    } else {
      const end = xml.indexOf('<', position);
      const raw = xml.slice(position, end === -1 ? xml.length : end);
      if (raw.includes(']]>')) throw new Error(`']]>' in text at ${position}`);
      const parent = stack.at(-1);
      if (parent) parent.text += decode(raw);
      else if (raw.trim() !== '') throw new Error(`text outside the root element at ${position}`);
      position += raw.length;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed element <${stack.at(-1)?.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = match[1] ?? '';
    if (name in attributes) throw new Error(`duplicate attribute ${name}`);
    attributes[name] = decode(match[2] ?? '');
  }
  return attributes;
}

/** Decodes references, throwing on a bare `&` or a reference to an illegal character. */
function decode(raw: string): string {
  let out = '';
  let position = 0;
  for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', position)) {
    out += raw.slice(position, amp);
    REFERENCE.lastIndex = amp;
    const match = REFERENCE.exec(raw);
    if (!match) throw new Error(`bare '&' in ${JSON.stringify(raw.slice(amp, amp + 20))}`);
    const [, named, decimal, hex] = match;
    const char = named ? NAMED[named] : String.fromCodePoint(Number.parseInt(decimal ?? hex ?? '', decimal ? 10 : 16));
    if (char === undefined || ILLEGAL_CHAR.test(char)) throw new Error(`reference to an illegal character: ${match[0]}`);
    out += char;
    position = REFERENCE.lastIndex;
  }
  return out + raw.slice(position);
}

/**
 * Every element named `name` in the tree, depth first.
 *
 * @example
 *   findAll(root, 'testcase').length;
 */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of element.children) {
    if (child.name === name) found.push(child);
    found.push(...findAll(child, name));
  }
  return found;
}
