/**
 * bench:transcripts — the shipped action-item extractor on the labelled utterances in
 * bench/data/transcript-utterances.json (precision, recall, owner and due-date accuracy), and WebVTT parse
 * throughput on the two-hour meeting fixture. Ends with one line of JSON holding the figures.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { RuleExtractor } from '../callout-service/src/transcripts/action-items.ts';
import { parseWebVtt, speakerTurns } from '../callout-service/src/transcripts/webvtt.ts';

interface Labelled {
  kind: string;
  speaker: string;
  text: string;
  meetingDate?: string;
  expected: Array<{ owner: string; due: string | null }>;
}
type LabelledSet = { meetingDate: string; attendees: string[]; items: Labelled[] };
const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8')) as LabelledSet;

const extractor = new RuleExtractor();

/** Precision, recall and due-date accuracy of the rules on one labelled set; an item counts when its owner matches. */
function evaluate(data: LabelledSet) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let dueRight = 0;
  const misses: string[] = [];
  for (const item of data.items) {
    const got = extractor.extract({
      turns: [{ speaker: item.speaker, startMs: 0, endMs: 1000, text: item.text }],
      meetingDate: item.meetingDate ?? data.meetingDate,
      attendees: data.attendees,
    });
    const open = [...item.expected];
    for (const found of got) {
      const at = open.findIndex((e) => e.owner === found.owner);
      if (at < 0) {
        fp++;
        misses.push(`FP [${item.kind}] ${item.text} -> owner ${found.owner}`);
        continue;
      }
      const [wanted] = open.splice(at, 1);
      tp++;
      if (wanted!.due === found.due) dueRight++;
      else misses.push(`DUE ${item.text} -> ${found.due}, labelled ${wanted!.due}`);
    }
    fn += open.length;
    for (const e of open) misses.push(`FN ${item.text} (owner ${e.owner})`);
  }
  const hardNegatives = data.items.filter((i) =>
    ['past', 'hypothetical', 'question'].includes(i.kind),
  ).length;
  return {
    utterances: data.items.length,
    hardNegatives,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: Number((tp / (tp + fp || 1)).toFixed(4)),
    recall: Number((tp / (tp + fn || 1)).toFixed(4)),
    dueDateAccuracy: Number((dueRight / (tp || 1)).toFixed(4)),
    misses,
  };
}

const labelled = evaluate(load('transcript-utterances.json'));
const heldOut = evaluate(load('transcript-utterances-heldout.json'));

const vtt = readFileSync(
  new URL('../callout-service/test/fixtures/transcripts/two-hour-meeting.vtt', import.meta.url),
  'utf8',
);
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
parseWebVtt(vtt); // warm-up
const started = performance.now();
let cues = 0;
let turns = 0;
for (let i = 0; i < rounds; i++) {
  const parsed = parseWebVtt(vtt);
  cues += parsed.cues.length;
  turns += speakerTurns(parsed.cues).length;
}
const elapsedMs = performance.now() - started;
const bytes = Buffer.byteLength(vtt);
const msPerMeeting = elapsedMs / rounds;
const mbPerSecond = (bytes * rounds) / 1e6 / (elapsedMs / 1000);

const report = (name: string, r: ReturnType<typeof evaluate>) => {
  for (const line of r.misses) console.log(`  ${line}`);
  console.log(
    `${name}: ${r.utterances} utterances (${r.hardNegatives} hard negatives), items labelled ${r.truePositives + r.falseNegatives}, found ${r.truePositives + r.falsePositives}: precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)}, due-date accuracy ${r.dueDateAccuracy.toFixed(3)}`,
  );
};
report('labelled set', labelled);
report('held-out set', heldOut);
console.log(
  `WebVTT parse: two-hour meeting (${(bytes / 1024).toFixed(0)} KiB, ${cues / rounds} cues, ${turns / rounds} turns) in ${msPerMeeting.toFixed(2)} ms, ${mbPerSecond.toFixed(1)} MB/s`,
);
const figures = ({ misses: _misses, ...r }: ReturnType<typeof evaluate>) => r;
console.log(
  JSON.stringify({
    ...figures(labelled),
    heldOut: figures(heldOut),
    parseMsPerTwoHourMeeting: Number(msPerMeeting.toFixed(3)),
    parseMBPerSecond: Number(mbPerSecond.toFixed(2)),
  }),
);
