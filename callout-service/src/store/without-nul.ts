/**
 * PostgreSQL refuses U+0000 in text and jsonb ("unsupported Unicode escape sequence"), so one message holding
 * it would fail the whole insert it is part of. Everything that carries outside text into PostgreSQL (jobs,
 * dead letters, outbound items) goes through here: NUL is replaced by U+FFFD, the Unicode replacement
 * character, so the text keeps its shape and shows where something was removed.
 */
export const NUL_REPLACEMENT = '\uFFFD';

export function stripNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', NUL_REPLACEMENT) : text;
}

/** A deep copy of a JSON-like value with NUL replaced in every string and key (other values kept as is). */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return stripNul(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => withoutNul(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[stripNul(k)] = withoutNul(v);
    return out as T;
  }
  return value;
}
