/**
 * npm run -s transcripts:extract -- <file.vtt> --meeting-date YYYY-MM-DD [--attendee "Name"]...
 * Prints one JSON line per action item: {"speaker","text","owner","due"}. Uses the Azure OpenAI deployment
 * when AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_DEPLOYMENT and AZURE_OPENAI_API_KEY are set, else the shipped rules.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AzureOpenAiChat } from './azure-openai.ts';
import { isIsoDay } from './due-date.ts';
import { createExtractor } from './extractor.ts';
import { WebVttError, parseWebVtt, speakerTurns } from './webvtt.ts';

const USAGE =
  'usage: npm run -s transcripts:extract -- <file.vtt> --meeting-date YYYY-MM-DD [--attendee "Full Name"]...';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        'meeting-date': { type: 'string' },
        attendee: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail((err as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) fail('Give exactly one WebVTT file.');
  const meetingDate = parsed.values['meeting-date'];
  if (!meetingDate || !isIsoDay(meetingDate))
    fail('--meeting-date must be a calendar day such as 2026-03-11.');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    fail(`Cannot read ${file}: ${(err as Error).message}`);
  }
  let cues;
  try {
    const result = parseWebVtt(text);
    for (const warning of result.warnings) process.stderr.write(`${file}: ${warning}\n`);
    cues = result.cues;
  } catch (err) {
    if (err instanceof WebVttError) fail(`${file}: ${err.message}`);
    throw err;
  }
  const env = process.env;
  const chat =
    env.AZURE_OPENAI_ENDPOINT && env.AZURE_OPENAI_DEPLOYMENT && env.AZURE_OPENAI_API_KEY
      ? new AzureOpenAiChat({
          endpoint: env.AZURE_OPENAI_ENDPOINT,
          deployment: env.AZURE_OPENAI_DEPLOYMENT,
          apiKey: env.AZURE_OPENAI_API_KEY,
          apiVersion: env.AZURE_OPENAI_API_VERSION ?? '2024-10-21',
          timeoutMs: Number(env.AZURE_OPENAI_TIMEOUT_MS ?? 30000),
        })
      : undefined;
  const result = await createExtractor(chat).extract({
    turns: speakerTurns(cues),
    meetingDate,
    attendees: parsed.values.attendee ?? [],
  });
  for (const note of result.notes) process.stderr.write(`${note}\n`);
  for (const item of result.items) {
    process.stdout.write(
      `${JSON.stringify({ speaker: item.speaker, text: item.text, owner: item.owner, due: item.due })}\n`,
    );
  }
}

await main();
