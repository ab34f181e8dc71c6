import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { RuleExtractor } from '../../src/transcripts/action-items.ts';
import { parseWebVtt, speakerTurns } from '../../src/transcripts/webvtt.ts';

const extractor = new RuleExtractor();
const fromFixture = async (name: string, attendees: string[] = []) =>
  extractor.extract({
    turns: speakerTurns(
      parseWebVtt(await readFile(new URL(`../fixtures/transcripts/${name}`, import.meta.url), 'utf8')).cues,
    ),
    meetingDate: '2026-03-11',
    attendees,
  });
const one = (speaker: string, text: string, attendees: string[] = []) =>
  extractor.extract({
    turns: [{ speaker, startMs: 0, endMs: 1, text }],
    meetingDate: '2026-03-11',
    attendees,
  });

describe('action-item extractor (rules)', () => {
  it('finds commitments and requests with owner and due date, merging the repeated one', async () => {
    const items = await fromFixture('several-speakers.vtt');
    assert.deepEqual(
      items.map(({ speaker, owner, due }) => ({ speaker, owner, due })),
      [
        { speaker: 'Alex Wilber', owner: 'speaker', due: '2026-03-13' },
        { speaker: 'Megan Bowen', owner: 'Priya Raman', due: '2026-03-20' },
        { speaker: 'Megan Bowen', owner: 'speaker', due: null },
      ],
    );
    assert.equal(items[0]!.atMs, 16_500);
    assert.equal(items[0]!.text, "I'll send you the revised questionnaire by Friday.");
  });

  it('finds nothing in a meeting without action items', async () => {
    assert.deepEqual(await fromFixture('no-action-items.vtt'), []);
  });

  it('resolves names in several languages to the attendee', async () => {
    const items = await fromFixture('names-in-several-languages.vtt');
    assert.deepEqual(
      items.map((i) => [i.speaker, i.owner]),
      [
        ['José Álvarez', 'speaker'],
        ['Zoë Müller', 'José Álvarez'],
        ['王伟', 'speaker'],
        ['Nguyễn Thị Lan', 'speaker'],
        ["Aoife O'Brien", 'Nguyễn Thị Lan'],
        ['Søren Holm', 'speaker'],
      ],
    );
  });

  it('leaves out past tense, hypotheticals, questions and refusals', () => {
    for (const text of [
      'I sent you the pricing last week.',
      'If the budget is approved, I will send the purchase order.',
      'We could maybe look at a phased rollout.',
      'Should we send the questionnaire to your team?',
      'Priya, can you hear me?',
      "I won't be able to send the figures.",
      "I'll be honest with you.",
      'Legal will review it.',
    ]) {
      assert.deepEqual(one('Alex Wilber', text, ['Priya Raman']), [], text);
    }
  });

  it('puts a request on the attendee named at the end, and a named action item on that attendee', () => {
    assert.equal(
      one('Alex Wilber', 'Can you send the logs by Friday, Priya?', ['Priya Raman'])[0]?.owner,
      'Priya Raman',
    );
    assert.equal(
      one('Alex Wilber', 'Action item for Megan: send the plan.', ['Megan Bowen'])[0]?.owner,
      'Megan Bowen',
    );
    // A request naming someone who is not in the meeting is no action item of this meeting.
    assert.deepEqual(one('Alex Wilber', 'Bob, can you send the logs?', ['Priya Raman']), []);
  });

  it('finds the three commitments of the two-hour meeting once each', async () => {
    const items = await fromFixture('two-hour-meeting.vtt');
    assert.equal(items.length, 3);
  });
});
