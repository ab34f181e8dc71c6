import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTimeZone, meetingDay, resolveDue } from '../../src/transcripts/due-date.ts';

// 2026-03-11 is a Wednesday.
const WED = '2026-03-11';

describe('due dates', () => {
  const cases: Array<[string, string | null]> = [
    ['I will send it tomorrow', '2026-03-12'],
    ['by Friday', '2026-03-13'],
    ['by Wednesday', '2026-03-18'],
    ['next week', '2026-03-20'],
    ['by end of next week', '2026-03-20'],
    ['by the end of the week', '2026-03-13'],
    ['next Monday', '2026-03-16'],
    ['by end of quarter', '2026-03-31'],
    ['by the end of the month', '2026-03-31'],
    ['in two weeks', '2026-03-25'],
    ['by the 20th', '2026-03-20'],
    ['by the 5th', '2026-04-05'],
    ['by March 20th', '2026-03-20'],
    ['on 2 April', '2026-04-02'],
    ['by end of day', WED],
    ['before our next call', null],
  ];
  for (const [phrase, due] of cases) {
    it(`"${phrase}" -> ${due}`, () => assert.equal(resolveDue(phrase, WED), due));
  }

  it('end of quarter follows the calendar quarter, across the year end', () => {
    assert.equal(resolveDue('end of quarter', '2026-05-06'), '2026-06-30');
    assert.equal(resolveDue('end of quarter', '2026-12-01'), '2026-12-31');
    assert.equal(resolveDue('next week', '2026-12-30'), '2027-01-08');
    assert.equal(resolveDue('by January 4', '2026-12-30'), '2027-01-04');
  });

  it("takes the meeting day in the organiser's time zone", () => {
    const start = new Date('2026-03-11T23:30:00Z');
    assert.equal(meetingDay(start, 'UTC'), '2026-03-11');
    assert.equal(meetingDay(start, 'Europe/Berlin'), '2026-03-12');
    assert.equal(meetingDay(start, 'America/Los_Angeles'), '2026-03-11');
    // "tomorrow" said late on Wednesday evening in Berlin's Thursday is Friday there.
    assert.equal(resolveDue('tomorrow', meetingDay(start, 'Europe/Berlin')), '2026-03-13');
    assert.ok(isTimeZone('Asia/Ho_Chi_Minh'));
    assert.ok(!isTimeZone('Mars/Olympus'));
  });

  it('refuses a day that does not exist', () => {
    assert.throws(() => resolveDue('tomorrow', '2026-02-30'), RangeError);
  });
});
