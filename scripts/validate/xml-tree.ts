import { XMLValidator } from 'fast-xml-parser';

/** An element with the line its start tag is on (fast-xml-parser keeps no positions, so we scan ourselves). */
export type XmlElement = { name: string; line: number; children: XmlElement[]; text: string };

export type XmlParseResult = { ok: true; root: XmlElement } | { ok: false; line: number; message: string };

// Markup that is not an element: comments, CDATA, processing instructions, DOCTYPE.
const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([^\s/>]+)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;

function lineAt(text: string, index: number, from: { index: number; line: number }): number {
  let line = from.line;
  for (let i = from.index; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  from.index = index;
  from.line = line;
  return line;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function decode(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => ENTITIES[name] ?? '');
}

/**
 * Well-formedness by fast-xml-parser's validator (line and message of the first error), then a scan into
 * elements with line numbers. The scan relies on the document being well-formed, which was just checked.
 */
export function parseXml(text: string): XmlParseResult {
  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (verdict !== true) {
    return { ok: false, line: verdict.err.line, message: verdict.err.msg };
  }
  const cursor = { index: 0, line: 1 };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const top = stack[stack.length - 1];
    if (top) top.text += decode(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[1] !== undefined) {
      if (top) top.text += match[1];
      continue;
    }
    const name = match[3];
    if (!name) continue;
    if (match[2] === '/') {
      stack.pop();
      continue;
    }
    const element: XmlElement = { name, line: lineAt(text, match.index, cursor), children: [], text: '' };
    if (top) top.children.push(element);
    else root ??= element;
    if (match[5] !== '/') stack.push(element);
  }
  if (!root) return { ok: false, line: 1, message: 'no root element' };
  return { ok: true, root };
}

/** Element name without its namespace prefix. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((child) => child.name === name)?.text.trim();
}
