import {
  formatDateTime,
  formatLabel,
  formatPlural,
  formatRelativeTime,
  initials,
  linkify,
  summarize,
  toTimestamp,
} from 'c/teamsFormat';

const NOW = Date.parse('2026-11-23T12:00:00Z');

describe('c-teams-format', () => {
  describe('formatLabel', () => {
    it('fills numbered placeholders and leaves missing ones visible', () => {
      expect(formatLabel('{0} in {1}', 'General', 'Contoso')).toBe('General in Contoso');
      expect(formatLabel('{0} and {1}', 'one')).toBe('one and {1}');
      expect(formatLabel('{0} matched', 0)).toBe('0 matched');
      expect(formatLabel(undefined)).toBe('');
    });
  });

  describe('formatRelativeTime', () => {
    it('picks the largest unit reached, in the given locale', () => {
      expect(formatRelativeTime('2026-11-23T11:55:00Z', NOW, 'en-US')).toBe('5 minutes ago');
      expect(formatRelativeTime('2026-11-22T12:00:00Z', NOW, 'en-US')).toBe('yesterday');
      expect(formatRelativeTime('2026-11-23T15:00:00Z', NOW, 'en-US')).toBe('in 3 hours');
      expect(formatRelativeTime('2026-10-20T12:00:00Z', NOW, 'en-US')).toBe('last month');
      expect(formatRelativeTime('2024-11-01T12:00:00Z', NOW, 'en-US')).toBe('2 years ago');
      expect(formatRelativeTime(NOW, NOW, 'en-US')).toBe('now');
    });

    it('speaks the user locale', () => {
      expect(formatRelativeTime('2026-11-23T10:00:00Z', NOW, 'de-DE')).toBe('vor 2 Stunden');
      expect(formatRelativeTime('2026-11-16T12:00:00Z', NOW, 'fr-FR')).toBe('la semaine dernière');
    });

    it('defaults to the Salesforce user locale and the current time', () => {
      expect(formatRelativeTime(new Date(Date.now() - 2 * 60 * 1000))).toBe('2 minutes ago');
    });

    it('returns an empty string for missing or invalid dates', () => {
      expect(formatRelativeTime(undefined, NOW)).toBe('');
      expect(formatRelativeTime('', NOW)).toBe('');
      expect(formatRelativeTime('not a date', NOW)).toBe('');
    });
  });

  describe('formatDateTime', () => {
    it('formats a full date and time, or nothing for an invalid one', () => {
      expect(formatDateTime('2026-11-23T12:00:00Z', 'en-US')).toMatch(/Nov 23, 2026/);
      expect(formatDateTime(null)).toBe('');
    });
  });

  describe('linkify', () => {
    it('splits text and http(s) links, leaving trailing punctuation out of the link', () => {
      expect(linkify('Pricing sheet: https://contoso.sharepoint.com/a?b=1. Thanks')).toEqual([
        { key: 't0', text: 'Pricing sheet: ', isLink: false },
        {
          key: 'l1',
          text: 'https://contoso.sharepoint.com/a?b=1',
          url: 'https://contoso.sharepoint.com/a?b=1',
          isLink: true,
        },
        { key: 't2', text: '. Thanks', isLink: false },
      ]);
    });

    it('never turns other schemes into links', () => {
      // eslint-disable-next-line no-script-url -- the point: such text must stay plain
      expect(linkify('javascript:alert(1)').every((segment) => !segment.isLink)).toBe(true);
    });

    it('handles text that is only a link, and no text', () => {
      expect(linkify('http://example.com')).toEqual([
        { key: 'l0', text: 'http://example.com', url: 'http://example.com', isLink: true },
      ]);
      expect(linkify(undefined)).toEqual([]);
    });
  });

  describe('initials', () => {
    it('takes up to two initials', () => {
      expect(initials('Adele Vance')).toBe('AV');
      expect(initials('  megan  bowen smith ')).toBe('MB');
      expect(initials(null)).toBe('');
    });
  });
});

describe('c-teams-format (counts and summaries)', () => {
  it('picks the plural label by the locale rules', () => {
    expect(formatPlural(1, '{0} needs attention', '{0} need attention', 'en-US')).toBe('1 needs attention');
    expect(formatPlural(0, '{0} needs attention', '{0} need attention', 'en-US')).toBe('0 need attention');
    expect(formatPlural(3, '{0} needs attention', '{0} need attention', 'en-US')).toBe('3 need attention');
    // French counts 0 as singular.
    expect(formatPlural(0, '{0} canal', '{0} canaux', 'fr-FR')).toBe('0 canal');
    expect(formatPlural(2, '{0} canal', '{0} canaux')).toBe('2 canaux');
  });

  it('summarises the first line of a text at a word boundary', () => {
    expect(summarize('Timeout')).toBe('Timeout');
    expect(summarize('  first line\nsecond line ')).toBe('first line');
    expect(summarize('Salesforce answered 400 FIELD_CUSTOM_VALIDATION_EXCEPTION: Close date', 30)).toBe(
      'Salesforce answered 400…',
    );
    expect(summarize('averyveryverylongtokenwithoutanyspaces', 10)).toBe('averyvery…');
    expect(summarize(null)).toBe('');
  });

  it('turns a date into epoch millis, or undefined', () => {
    expect(toTimestamp('2026-11-23T12:00:00Z')).toBe(NOW);
    expect(toTimestamp(null)).toBeUndefined();
    expect(toTimestamp('not a date')).toBeUndefined();
  });
});
