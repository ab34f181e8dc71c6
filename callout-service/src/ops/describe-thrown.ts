import { inspect } from 'node:util';

/**
 * Words for whatever was thrown: an Error's stack and its causes, and for anything else (a string, undefined,
 * a library's plain object) its inspection. The start error handler must never fail on what it reports.
 */
export function describeThrown(thrown: unknown, depth = 0): string {
  if (thrown instanceof Error) {
    const own = thrown.stack ?? `${thrown.name}: ${thrown.message}`;
    const cause = (thrown as { cause?: unknown }).cause;
    return cause !== undefined && depth < 5 ? `${own}\ncaused by: ${describeThrown(cause, depth + 1)}` : own;
  }
  if (typeof thrown === 'string') return thrown || '(an empty string was thrown)';
  if (thrown === undefined || thrown === null) return `(${String(thrown)} was thrown, no details)`;
  return inspect(thrown, { depth: 3, breakLength: 120 });
}
