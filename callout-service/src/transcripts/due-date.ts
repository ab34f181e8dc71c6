/**
 * Due-date phrases ("by Friday", "next week", "end of quarter", "tomorrow", "by the 20th") resolved against
 * the meeting's calendar day. Plain calendar arithmetic on UTC dates: a due date is a day, not an instant,
 * so only the meeting day itself depends on a time zone (see meetingDay).
 */

/** A calendar day, `YYYY-MM-DD`. */
export type IsoDay = string;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const NUMBER_WORDS: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, couple: 2 };

function toDate(day: IsoDay): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${day}`);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (date.toISOString().slice(0, 10) !== day) throw new RangeError(`No such calendar day: ${day}`);
  return date;
}
const fromDate = (date: Date): IsoDay => date.toISOString().slice(0, 10);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);
const endOfMonth = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0));

/** The next given weekday strictly after `date` ("by Friday" said on a Friday means the next one). */
function nextWeekday(date: Date, weekday: number): Date {
  const ahead = (weekday - date.getUTCDay() + 7) % 7 || 7;
  return addDays(date, ahead);
}
/** Friday of the week (Monday to Sunday) that holds `date`. */
function fridayOf(date: Date): Date {
  const mondayBased = (date.getUTCDay() + 6) % 7;
  return addDays(date, 4 - mondayBased);
}

/** The meeting's calendar day in the organiser's time zone (an IANA name such as Europe/Berlin). */
export function meetingDay(start: Date, timeZone: string): IsoDay {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(start);
}

/** True when the IANA time zone name is known to this runtime. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

interface DueRule {
  pattern: RegExp;
  resolve: (m: RegExpExecArray, day: Date) => Date | undefined;
}

const weekdayAlternation = WEEKDAYS.join('|');
const monthAlternation = MONTHS.join('|');

// Checked in order; the first that matches wins, so the longer phrases come first.
const RULES: DueRule[] = [
  {
    pattern: /\b(?:by |before )?(?:the )?end of (?:the |this )?(?:quarter|q[1-4])\b/i,
    resolve: (_m, d) => new Date(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3 + 3, 0)),
  },
  {
    pattern: /\b(?:the )?end of next week\b/i,
    resolve: (_m, d) => addDays(fridayOf(d), 7),
  },
  {
    pattern: /\b(?:(?:by |before )?(?:the )?end of (?:the |this )?week|this week)\b/i,
    resolve: (_m, d) => fridayOf(d),
  },
  {
    pattern: /\b(?:(?:by |before )?(?:the )?end of (?:the |this )?month|this month)\b/i,
    resolve: (_m, d) => endOfMonth(d),
  },
  {
    pattern: /\bnext month\b/i,
    resolve: (_m, d) => endOfMonth(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))),
  },
  { pattern: /\bnext week\b/i, resolve: (_m, d) => addDays(fridayOf(d), 7) },
  {
    pattern: /\bin (a|one|two|three|four|couple|\d+) (?:of )?(day|week)s?\b/i,
    resolve: (m, d) => {
      const n = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
      return addDays(d, m[2]!.toLowerCase() === 'week' ? 7 * n : n);
    },
  },
  { pattern: /\b(?:tomorrow|tmrw)\b/i, resolve: (_m, d) => addDays(d, 1) },
  { pattern: /\b(?:today|tonight|end of (?:the )?day|eod|close of business|cob)\b/i, resolve: (_m, d) => d },
  {
    pattern: new RegExp(`\\bnext (${weekdayAlternation})\\b`, 'i'),
    // "next Monday": the Monday of next week.
    resolve: (m, d) => addDays(fridayOf(d), 7 - 4 + ((WEEKDAYS.indexOf(m[1]!.toLowerCase()) + 6) % 7)),
  },
  {
    pattern: new RegExp(`\\b(?:by|on|before|until|for|this|due) (${weekdayAlternation})\\b`, 'i'),
    resolve: (m, d) => nextWeekday(d, WEEKDAYS.indexOf(m[1]!.toLowerCase())),
  },
  {
    pattern: new RegExp(`\\b(${monthAlternation}) (\\d{1,2})(?:st|nd|rd|th)?\\b`, 'i'),
    resolve: (m, d) => dayInYearAfter(d, MONTHS.indexOf(m[1]!.toLowerCase()), Number(m[2])),
  },
  {
    pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?(${monthAlternation})\\b`, 'i'),
    resolve: (m, d) => dayInYearAfter(d, MONTHS.indexOf(m[2]!.toLowerCase()), Number(m[1])),
  },
  {
    pattern: /\b(?:by|on|before|until) the (\d{1,2})(?:st|nd|rd|th)\b/i,
    resolve: (m, d) => {
      const n = Number(m[1]);
      const thisMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), n));
      if (thisMonth.getUTCDate() !== n) return undefined;
      return thisMonth > d ? thisMonth : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, n));
    },
  },
  {
    pattern: new RegExp(`\\b(${weekdayAlternation})\\b`, 'i'),
    resolve: (m, d) => nextWeekday(d, WEEKDAYS.indexOf(m[1]!.toLowerCase())),
  },
];

/** "March 20" on or after the meeting day, this year or next. */
function dayInYearAfter(d: Date, month: number, dayOfMonth: number): Date | undefined {
  for (const year of [d.getUTCFullYear(), d.getUTCFullYear() + 1]) {
    const candidate = new Date(Date.UTC(year, month, dayOfMonth));
    if (candidate.getUTCDate() !== dayOfMonth) return undefined;
    if (candidate >= d) return candidate;
  }
  return undefined;
}

/** The due day a sentence names, or null when it names none. */
export function resolveDue(sentence: string, meetingDate: IsoDay): IsoDay | null {
  const day = toDate(meetingDate);
  for (const rule of RULES) {
    const m = rule.pattern.exec(sentence);
    if (!m) continue;
    const due = rule.resolve(m, day);
    if (due) return fromDate(due);
  }
  return null;
}

/** Checks a YYYY-MM-DD string (for the command line and for LLM answers). */
export function isIsoDay(text: string): boolean {
  try {
    toDate(text);
    return true;
  } catch {
    return false;
  }
}
