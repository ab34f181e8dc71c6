/**
 * Small lexical helpers over Apex source: blank out comments and string literals (keeping offsets and line
 * breaks), find inline SOQL `[SELECT ...]` literals, and turn offsets into line numbers.
 */
export function blankCommentsAndStrings(source: string): string {
  let out = '';
  let i = 0;
  const blank = (text: string): string => text.replace(/[^\n]/g, ' ');
  while (i < source.length) {
    const rest = source.slice(i, i + 2);
    let end = i + 1;
    if (rest === '//') {
      end = source.indexOf('\n', i);
      if (end === -1) end = source.length;
    } else if (rest === '/*') {
      end = source.indexOf('*/', i + 2);
      end = end === -1 ? source.length : end + 2;
    } else if (source[i] === "'") {
      end = i + 1;
      while (end < source.length && source[end] !== "'") end += source[end] === '\\' ? 2 : 1;
      end++;
      // Keep the quotes so SOQL string literals stay string literals for the parser.
      out += "'" + blank(source.slice(i + 1, end - 1)) + "'";
      i = end;
      continue;
    } else {
      out += source[i];
      i++;
      continue;
    }
    out += blank(source.slice(i, end));
    i = end;
  }
  return out;
}

export function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

export type SoqlLiteral = { text: string; offset: number };

/** `[SELECT ...]` and `[FIND ...]` literals; only SELECT ones are returned (SOSL is not checked). */
export function findSoqlLiterals(blanked: string): SoqlLiteral[] {
  const found: SoqlLiteral[] = [];
  const start = /\[\s*SELECT\b/gi;
  for (const match of blanked.matchAll(start)) {
    let depth = 0;
    let end = match.index;
    for (; end < blanked.length; end++) {
      if (blanked[end] === '[') depth++;
      else if (blanked[end] === ']' && --depth === 0) break;
    }
    found.push({ text: blanked.slice(match.index + 1, end), offset: match.index + 1 });
  }
  return found;
}

/**
 * Replace Apex bind expressions (`:acc.Id`, `:ids[0]`, `:obj.get('x')`, `LIMIT :n`) by simple binds the
 * SOQL parser accepts, keeping the text length so offsets still point into the source.
 */
export function simplifyBinds(soql: string): string {
  let out = '';
  let i = 0;
  while (i < soql.length) {
    if (soql[i] !== ':') {
      out += soql[i++];
      continue;
    }
    let end = i + 1;
    while (end < soql.length && /\s/.test(soql[end]!)) end++;
    let depth = 0;
    for (; end < soql.length; end++) {
      const ch = soql[end]!;
      if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && !/[\w.]/.test(ch)) break;
    }
    const length = end - i;
    out += (':b' + ' '.repeat(length)).slice(0, Math.max(length, 2));
    i = end;
  }
  // The parser wants a number after LIMIT and OFFSET.
  return out.replace(
    /\b(LIMIT|OFFSET)(\s+):b/gi,
    (_, keyword: string, space: string) => `${keyword}${space}1 `,
  );
}
