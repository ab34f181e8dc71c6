import type { Rule } from '../salesforce/directory.ts';

/** Lower case, accents removed (NFD then combining marks stripped), so "Résumé" matches "resume". */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex for a term on word boundaries (letters/digits of any script), with any run of spaces between words. */
export function termPattern(term: string): RegExp {
  const words = normalizeForMatch(term).trim().split(/\s+/).map(escapeRegExp);
  return new RegExp(`(?<![\\p{L}\\p{N}_])${words.join('\\s+')}(?![\\p{L}\\p{N}_])`, 'u');
}

export interface RuleMatch {
  rule: Rule;
  /** The term as the admin wrote it. */
  term: string;
}

const patternCache = new Map<string, RegExp>();

function cachedPattern(term: string): RegExp {
  let pattern = patternCache.get(term);
  if (!pattern) {
    pattern = termPattern(term);
    if (patternCache.size > 5000) patternCache.clear();
    patternCache.set(term, pattern);
  }
  return pattern;
}

/**
 * Every active rule with at least one term in the text (first matching term reported). With `criticalOnly`
 * (the org is above its API threshold) only critical rules are evaluated.
 */
export function matchRules(
  text: string,
  rules: Rule[],
  options: { criticalOnly?: boolean } = {},
): RuleMatch[] {
  const normalized = normalizeForMatch(text);
  const matches: RuleMatch[] = [];
  for (const rule of rules) {
    if (!rule.active) continue;
    if (options.criticalOnly && !rule.critical) continue;
    const term = rule.terms.find((t) => cachedPattern(t).test(normalized));
    if (term) matches.push({ rule, term });
  }
  return matches;
}
