import LOCALE from '@salesforce/i18n/locale';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

// Largest unit first; a difference is shown in the first unit it reaches.
const UNITS = [
  ['year', YEAR],
  ['month', MONTH],
  ['week', WEEK],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
  ['second', SECOND],
];

/**
 * Fills `{0}`, `{1}`... in a custom label with the given values.
 * @param {String} template label text
 * @param  {...any} values replacement values
 * @return {String}
 */
export function formatLabel(template, ...values) {
  return String(template ?? '').replace(/\{(\d+)\}/g, (match, index) => {
    const value = values[index];
    return value === undefined || value === null ? match : String(value);
  });
}

function toTime(value) {
  if (value === undefined || value === null || value === '') {
    return NaN;
  }
  return value instanceof Date ? value.getTime() : new Date(value).getTime();
}

/**
 * "5 minutes ago", "yesterday", "in 2 days" in the user's locale.
 * @param {String|Number|Date} value ISO date-time, epoch millis or Date
 * @param {Number} [now] epoch millis to measure from (tests)
 * @param {String} [locale] BCP 47 locale; defaults to the user's Salesforce locale
 * @return {String} the phrase, or '' for a missing or invalid date
 */
export function formatRelativeTime(value, now = Date.now(), locale = LOCALE) {
  const time = toTime(value);
  if (Number.isNaN(time)) {
    return '';
  }
  const diff = time - now;
  const formatter = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const [unit, size] = UNITS.find(([, ms]) => Math.abs(diff) >= ms) ?? ['second', SECOND];
  // Whole units only, towards zero: 90 minutes ago is "1 hour ago" either way round.
  return formatter.format(Math.trunc(diff / size), unit);
}

/**
 * A full date and time in the user's locale, for titles and tooltips.
 * @param {String|Number|Date} value
 * @param {String} [locale]
 * @return {String} '' for a missing or invalid date
 */
export function formatDateTime(value, locale = LOCALE) {
  const time = toTime(value);
  if (Number.isNaN(time)) {
    return '';
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(time);
}

// http(s) links only: other schemes (javascript:, data:) stay plain text.
const URL_PATTERN = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/**
 * Splits plain message text into text and link segments so a template can render links as anchors
 * without ever setting HTML.
 * @param {String} text
 * @return {{key: String, text: String, url: String|undefined, isLink: Boolean}[]}
 */
export function linkify(text) {
  const source = String(text ?? '');
  const segments = [];
  let last = 0;
  for (const match of source.matchAll(URL_PATTERN)) {
    if (match.index > last) {
      segments.push(source.slice(last, match.index));
    }
    segments.push({ url: match[0] });
    last = match.index + match[0].length;
  }
  if (last < source.length) {
    segments.push(source.slice(last));
  }
  return segments.map((segment, index) => {
    if (typeof segment === 'string') {
      return { key: `t${index}`, text: segment, isLink: false };
    }
    return { key: `l${index}`, text: segment.url, url: segment.url, isLink: true };
  });
}

/**
 * Up to two initials for an avatar, e.g. "Adele Vance" -> "AV".
 * @param {String} name
 * @return {String}
 */
export function initials(name) {
  return String(name ?? '')
    .split(/\s+/)
    .filter((part) => part.length > 0)
    .slice(0, 2)
    .map((part) => part[0].toUpperCase())
    .join('');
}

/**
 * Picks the singular or plural label for a count by the locale's plural rules, then fills `{0}` with it.
 * Custom labels have no plural forms, so each counted phrase is two labels: one for "one", one for the rest.
 * @param {Number} count
 * @param {String} one label for a count the locale calls "one" (e.g. "{0} needs attention")
 * @param {String} other label for every other count (e.g. "{0} need attention")
 * @param {String} [locale]
 * @return {String}
 */
export function formatPlural(count, one, other, locale = LOCALE) {
  const category = new Intl.PluralRules(locale).select(Number(count));
  return formatLabel(category === 'one' ? one : other, count);
}

/**
 * The first line of an error, cut at a word boundary, for a table cell; the whole text goes elsewhere.
 * @param {String} text
 * @param {Number} [max] most characters to keep
 * @return {String} '' for no error
 */
export function summarize(text, max = 80) {
  const firstLine = String(text ?? '')
    .trim()
    .split(/\r?\n/)[0]
    .trim();
  if (firstLine.length <= max) {
    return firstLine;
  }
  const cut = firstLine.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:]+$/, '')}…`;
}

/**
 * Epoch millis for a date value, or undefined when there is none (for lightning-relative-date-time).
 * @param {String|Number|Date} value
 * @return {Number|undefined}
 */
export function toTimestamp(value) {
  const time = toTime(value);
  return Number.isNaN(time) ? undefined : time;
}
