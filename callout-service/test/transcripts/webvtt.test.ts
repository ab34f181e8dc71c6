import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  WebVttError,
  formatOffset,
  parseTimestamp,
  parseWebVtt,
  speakerTurns,
} from '../../src/transcripts/webvtt.ts';

const fixture = (name: string) =>
  readFile(new URL(`../fixtures/transcripts/${name}`, import.meta.url), 'utf8');

describe('WebVTT parser', () => {
  it('reads timestamps with and without hours, and past one hour', () => {
    assert.equal(parseTimestamp('00:01.500'), 1500);
    assert.equal(parseTimestamp('01:02:03.004'), 3_723_004);
    assert.equal(parseTimestamp('123:00:00.000'), 123 * 3_600_000);
    assert.equal(parseTimestamp('1:02.000'), undefined);
    assert.equal(parseTimestamp('00:60.000'), undefined);
    assert.equal(formatOffset(3_723_004), '01:02:03');
  });

  it('takes speakers from voice spans, joins multi-line cues and skips NOTE and STYLE blocks', async () => {
    const { cues, warnings } = parseWebVtt(await fixture('several-speakers.vtt'));
    assert.deepEqual(warnings, []);
    assert.equal(cues.length, 9);
    assert.equal(cues[0]!.id, '3f1c2a4e-0001/12-0');
    assert.equal(cues[1]!.speaker, 'Priya Raman');
    assert.equal(cues[1]!.text, 'Sure. The main blocker on our side is still the security questionnaire.');
    assert.deepEqual(cues[1]!.settings, { align: 'start', position: '10%' });
    assert.equal(cues[7]!.text, 'Let me get back to you on the SSO question & the audit logs.');
    assert.ok(cues.every((c) => !c.text.includes('::cue') && !c.text.includes('NOTE')));
  });

  it("joins a speaker's consecutive cues into one turn", async () => {
    const turns = speakerTurns(parseWebVtt(await fixture('several-speakers.vtt')).cues);
    assert.deepEqual(
      turns.map((t) => t.speaker),
      [
        'Alex Wilber',
        'Priya Raman',
        'Alex Wilber',
        'Megan Bowen',
        'Priya Raman',
        'Alex Wilber',
        'Megan Bowen',
        'Priya Raman',
      ],
    );
    assert.match(turns[1]!.text, /questionnaire\. Our team has not seen/);
    assert.equal(turns[1]!.startMs, 7_900);
    assert.equal(turns[1]!.endMs, 16_050);
  });

  it('reads voice classes, CRLF line ends, entities, inline tags and two voices in one cue', () => {
    const vtt =
      'WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n<v.loud Zoë Müller><i>Hallo</i> &lt;all&gt;</v><v Lee Gu>Hi &#233; <00:00:01.500>there\r\n';
    const { cues } = parseWebVtt(vtt);
    assert.deepEqual(
      cues.map((c) => [c.speaker, c.text]),
      [
        ['Zoë Müller', 'Hallo <all>'],
        ['Lee Gu', 'Hi é there'],
      ],
    );
  });

  it('drops a cue with a malformed timing line and says where, keeping the others', () => {
    const { cues, warnings } = parseWebVtt(
      'WEBVTT\n\n00:01.000 --> 00:02\n<v A>lost\n\n00:03.000 --> 00:04.000\n<v B>kept\n',
    );
    assert.deepEqual(
      cues.map((c) => c.text),
      ['kept'],
    );
    assert.match(warnings[0]!, /^line 3: malformed cue timing/);
  });

  it('refuses a document without the WEBVTT signature, and survives NUL bytes', () => {
    assert.throws(() => parseWebVtt('<html>nope</html>'), WebVttError);
    assert.throws(() => parseWebVtt('WEBVTTX\n'), WebVttError);
    const { cues } = parseWebVtt('WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>a\0b\n');
    assert.equal(cues[0]!.text, 'a\ufffdb');
  });

  it('parses the two-hour meeting, timestamps past one hour included', async () => {
    const { cues, warnings } = parseWebVtt(await fixture('two-hour-meeting.vtt'));
    assert.deepEqual(warnings, []);
    assert.ok(cues.length > 1500);
    assert.ok(cues.at(-1)!.endMs > 7_000_000 && cues.at(-1)!.endMs <= 7_200_000);
    assert.ok(cues.every((c) => c.speaker));
  });
});
