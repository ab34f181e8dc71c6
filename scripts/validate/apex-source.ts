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
 * Replace Apex bind expressions (`:acc.Id`, `:ids[0]`, `:obj.get('x')`, `LIMIT :n`) by plain literals, so
 * the SOQL parser runs without its bind-variable option (with any option it rebuilds its grammar on every
 * call: ~100 ms a query instead of ~0.2 ms). Field names are unaffected, which is all this check reads.
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
    out += ':b';
    i = end;
  }
  return out
    .replace(/\b(LIMIT|OFFSET)(\s+):b/gi, (_, keyword: string, space: string) => `${keyword}${space}1`)
    .replace(/\b(IN|INCLUDES|EXCLUDES)(\s*):b/gi, "$1$2('b')")
    .replace(/:b/g, "'b'");
}
