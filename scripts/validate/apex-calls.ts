import { blankCommentsAndStrings, lineOf } from './apex-source.ts';

/** One method (or constructor) of an Apex class, with the spans of its body. */
export type ApexMethod = {
  key: string; // Class.method (overloads share a key)
  className: string;
  name: string;
  line: number;
  body: { start: number; end: number };
  annotations: string;
};

export type ApexUnit = {
  className: string;
  file: string;
  source: string;
  /** Comments blanked, strings kept (dynamic SOQL says WITH USER_MODE inside a string). */
  code: string;
  /** Comments and string contents blanked, for structure. */
  blanked: string;
  isTest: boolean;
  methods: ApexMethod[];
};

export type CallSite = { target: string; offset: number };

const NOT_METHODS = new Set(['if', 'for', 'while', 'catch', 'switch', 'when', 'do', 'return', 'new', 'else']);

function restoreStrings(blanked: string, source: string): string {
  let out = '';
  for (let i = 0; i < blanked.length; i++) {
    if (blanked[i] !== "'") {
      out += blanked[i];
      continue;
    }
    const close = blanked.indexOf("'", i + 1);
    const end = close === -1 ? blanked.length : close;
    out += source.slice(i, end + 1);
    i = end;
  }
  return out;
}

/** The offset of the brace closing the one at `open`, in blanked source. */
export function matchingBrace(blanked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < blanked.length; i++) {
    if (blanked[i] === '{') depth++;
    else if (blanked[i] === '}' && --depth === 0) return i;
  }
  return blanked.length;
}

export function parseApexUnit(className: string, file: string, source: string): ApexUnit {
  const blanked = blankCommentsAndStrings(source);
  const code = restoreStrings(blanked, source);
  const isTest = /@IsTest\b[\s\S]*?\bclass\s+\w+/i.test(blanked.slice(0, blanked.search(/\bclass\b/i) + 200));
  const methods: ApexMethod[] = [];
  const declaration =
    /((?:@\w+(?:\([^)]*\))?\s*)*)(?:\b(?:public|private|protected|global|static|override|virtual|testMethod|final|webservice)\s+)*[\w.<>, [\]]*?\b(\w+)\s*\(([^()]*)\)\s*(?:throws\s+[\w.,\s]+)?\{/gi;
  for (const match of blanked.matchAll(declaration)) {
    const name = match[2]!;
    if (NOT_METHODS.has(name.toLowerCase())) continue;
    const before = blanked.slice(Math.max(0, match.index - 1), match.index);
    if (/[.\w]/.test(before)) continue;
    // A call followed by a block (`System.runAs(u) {`) is not a declaration: declarations have a type or
    // modifier before the name, or are constructors (name = class).
    const head = match[0].slice(match[1]!.length, match[0].indexOf(name, match[1]!.length)).trim();
    if (!head && name.toLowerCase() !== className.toLowerCase()) continue;
    if (/\b(runAs|new)\b/i.test(head) || /=|return/.test(head)) continue;
    const open = match.index + match[0].length - 1;
    methods.push({
      key: `${className}.${name}`.toLowerCase(),
      className,
      name,
      line: lineOf(source, match.index + match[1]!.length),
      body: { start: open, end: matchingBrace(blanked, open) },
      annotations: match[1]!,
    });
  }
  return { className, file, source, code, blanked, isTest, methods };
}

/** Spans of `System.runAs(...) { ... }` blocks. */
export function runAsBlocks(blanked: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const match of blanked.matchAll(/\bSystem\s*\.\s*runAs\s*\(/gi)) {
    const open = blanked.indexOf('{', match.index);
    if (open !== -1) out.push({ start: open, end: matchingBrace(blanked, open) });
  }
  return out;
}

/** Calls in a span: `Class.method(`, `new Class(...).method(`, `new Class(` and same-class `method(`. */
export function callsIn(
  unit: ApexUnit,
  span: { start: number; end: number },
  classes: Set<string>,
): CallSite[] {
  const text = unit.blanked.slice(span.start, span.end);
  const out: CallSite[] = [];
  for (const m of text.matchAll(/(?<![.\w])(\w+)\s*\.\s*(\w+)\s*\(/g)) {
    if (classes.has(m[1]!.toLowerCase()))
      out.push({ target: `${m[1]}.${m[2]}`.toLowerCase(), offset: span.start + m.index });
  }
  for (const m of text.matchAll(/\bnew\s+(\w+)\s*\(/g)) {
    if (!classes.has(m[1]!.toLowerCase())) continue;
    out.push({ target: `${m[1]}.${m[1]}`.toLowerCase(), offset: span.start + m.index });
    // new X(...).method(
    const close = matchingParen(text, m.index + m[0].length - 1);
    const chained = /^\s*\.\s*(\w+)\s*\(/.exec(text.slice(close + 1));
    if (chained) out.push({ target: `${m[1]}.${chained[1]}`.toLowerCase(), offset: span.start + m.index });
  }
  for (const m of text.matchAll(/(?<![.\w])(\w+)\s*\(/g)) {
    if (NOT_METHODS.has(m[1]!.toLowerCase())) continue;
    const key = `${unit.className}.${m[1]}`.toLowerCase();
    if (unit.methods.some((method) => method.key === key))
      out.push({ target: key, offset: span.start + m.index });
  }
  return out;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}
