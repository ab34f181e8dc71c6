// SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_MONTH, ...) as half-open UTC ranges [start, end).
// The stand-in's org time zone is GMT, so "today" is the UTC day.

export interface DateRange {
  start: number;
  end: number;
}

const DAY = 86_400_000;

function startOfUtcDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

function utc(year: number, month: number, day = 1): number {
  return Date.UTC(year, month, day);
}

/** Sunday-based weeks, as in a default-locale org. */
function startOfWeek(t: number): number {
  const day = startOfUtcDay(t);
  return day - new Date(day).getUTCDay() * DAY;
}

function quarterStart(year: number, quarter: number): number {
  return utc(year, quarter * 3);
}

export function dateLiteralRange(
  literal: string,
  n: number | undefined,
  now = Date.now(),
): DateRange | undefined {
  const today = startOfUtcDay(now);
  const d = new Date(today);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const q = Math.floor(m / 3);
  const k = n ?? 0;
  switch (literal.toUpperCase()) {
    case 'YESTERDAY':
      return { start: today - DAY, end: today };
    case 'TODAY':
      return { start: today, end: today + DAY };
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY };
    case 'LAST_WEEK':
      return { start: startOfWeek(now) - 7 * DAY, end: startOfWeek(now) };
    case 'THIS_WEEK':
      return { start: startOfWeek(now), end: startOfWeek(now) + 7 * DAY };
    case 'NEXT_WEEK':
      return { start: startOfWeek(now) + 7 * DAY, end: startOfWeek(now) + 14 * DAY };
    case 'LAST_MONTH':
      return { start: utc(y, m - 1), end: utc(y, m) };
    case 'THIS_MONTH':
      return { start: utc(y, m), end: utc(y, m + 1) };
    case 'NEXT_MONTH':
      return { start: utc(y, m + 1), end: utc(y, m + 2) };
    case 'LAST_90_DAYS':
      return { start: today - 90 * DAY, end: today + DAY };
    case 'NEXT_90_DAYS':
      return { start: today + DAY, end: today + 91 * DAY };
    case 'THIS_QUARTER':
      return { start: quarterStart(y, q), end: quarterStart(y, q + 1) };
    case 'LAST_QUARTER':
      return { start: quarterStart(y, q - 1), end: quarterStart(y, q) };
    case 'NEXT_QUARTER':
      return { start: quarterStart(y, q + 1), end: quarterStart(y, q + 2) };
    case 'THIS_YEAR':
      return { start: utc(y, 0), end: utc(y + 1, 0) };
    case 'LAST_YEAR':
      return { start: utc(y - 1, 0), end: utc(y, 0) };
    case 'NEXT_YEAR':
      return { start: utc(y + 1, 0), end: utc(y + 2, 0) };
    // LAST_N_DAYS:n covers today and the n days before it; NEXT_N_DAYS:n starts tomorrow.
    case 'LAST_N_DAYS':
      return { start: today - k * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return { start: today + DAY, end: today + (k + 1) * DAY };
    case 'N_DAYS_AGO':
      return { start: today - k * DAY, end: today - (k - 1) * DAY };
    case 'LAST_N_WEEKS':
      return { start: startOfWeek(now) - 7 * k * DAY, end: startOfWeek(now) };
    case 'NEXT_N_WEEKS':
      return { start: startOfWeek(now) + 7 * DAY, end: startOfWeek(now) + 7 * (k + 1) * DAY };
    case 'LAST_N_MONTHS':
      return { start: utc(y, m - k), end: utc(y, m) };
    case 'NEXT_N_MONTHS':
      return { start: utc(y, m + 1), end: utc(y, m + 1 + k) };
    case 'LAST_N_YEARS':
      return { start: utc(y - k, 0), end: utc(y, 0) };
    case 'NEXT_N_YEARS':
      return { start: utc(y + 1, 0), end: utc(y + 1 + k, 0) };
    default:
      return undefined;
  }
}
