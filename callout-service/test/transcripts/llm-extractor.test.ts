import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SpeakerTurn } from '../../src/transcripts/webvtt.ts';
import { AzureOpenAiChat, ChatCompletionError } from '../../src/transcripts/azure-openai.ts';
import { LlmExtractor, createExtractor, ShippedExtractor } from '../../src/transcripts/extractor.ts';

/** A local server speaking the Azure OpenAI chat-completions wire format, answering what the test sets. */
let server: Server;
let endpoint: string;
let answer: { status: number; body: unknown } = { status: 200, body: {} };
let requests: Array<{ url: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }> = [];

const completion = (content: string) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

before(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      requests.push({
        url: req.url!,
        headers: req.headers,
        body: JSON.parse(raw || '{}') as Record<string, unknown>,
      });
      if (req.headers['api-key'] !== 'test-key') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { code: '401', message: 'Access denied due to invalid subscription key.' },
          }),
        );
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = [];
});

const chat = (apiKey = 'test-key') =>
  new AzureOpenAiChat({ endpoint, deployment: 'gpt-4o', apiKey, apiVersion: '2024-10-21', timeoutMs: 5000 });
const turns: SpeakerTurn[] = [
  {
    speaker: 'Alex Wilber',
    startMs: 1000,
    endMs: 2000,
    text: 'Thanks all. I will send the pricing by Friday.',
  },
  {
    speaker: 'Megan Bowen',
    startMs: 3000,
    endMs: 4000,
    text: 'Priya, can you confirm the seat count next week?',
  },
];
const input = { turns, meetingDate: '2026-03-11', attendees: ['Priya Raman'] };

describe('LLM extractor (Azure OpenAI chat completions)', () => {
  it('posts to the deployment with the api-key header and uses a well-formed answer', async () => {
    answer = {
      status: 200,
      body: completion(
        JSON.stringify({
          items: [
            { turn: 0, text: 'I will send the pricing by Friday.', owner: 'speaker', due: '2026-03-13' },
            {
              turn: 1,
              text: 'Priya, can you confirm the seat count next week?',
              owner: 'Priya Raman',
              due: '2026-03-20',
            },
          ],
        }),
      ),
    };
    const result = await new LlmExtractor(chat()).extract(input);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.url, '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21');
    assert.equal(requests[0]!.headers['api-key'], 'test-key');
    assert.deepEqual(requests[0]!.body.response_format, { type: 'json_object' });
    const user = JSON.parse((requests[0]!.body.messages as Array<{ content: string }>)[1]!.content);
    assert.equal(user.meetingDate, '2026-03-11');
    assert.equal(result.source, 'llm');
    assert.deepEqual(result.notes, []);
    assert.deepEqual(
      result.items.map((i) => [i.speaker, i.owner, i.due, i.atMs]),
      [
        ['Alex Wilber', 'speaker', '2026-03-13', 1000],
        ['Megan Bowen', 'Priya Raman', '2026-03-20', 3000],
      ],
    );
  });

  it('falls back to the rules when the answer is not JSON, off-schema, or an HTTP error', async () => {
    for (const bad of [
      { status: 200, body: completion('Sure! Here are the action items: ...') },
      { status: 200, body: completion(JSON.stringify({ actions: [] })) },
      { status: 200, body: { choices: [] } },
      { status: 429, body: { error: { code: '429', message: 'Rate limit is exceeded.' } } },
      { status: 500, body: 'upstream exploded' },
    ]) {
      answer = bad;
      const result = await new LlmExtractor(chat()).extract(input);
      assert.equal(result.items.length, 2, JSON.stringify(bad));
      assert.equal(result.items[1]!.owner, 'Priya Raman');
      assert.match(result.notes[0]!, /LLM not used .*rules used/);
    }
  });

  it('overrules invented quotes, unknown owners and impossible days with the rules', async () => {
    answer = {
      status: 200,
      body: completion(
        JSON.stringify({
          items: [
            { turn: 0, text: 'We agreed to a 40% discount.', owner: 'speaker', due: null },
            {
              turn: 1,
              text: 'Priya, can you confirm the seat count next week?',
              owner: 'Bob Smith',
              due: null,
            },
            { turn: 7, text: 'Ghost turn', owner: 'speaker', due: null },
          ],
        }),
      ),
    };
    const result = await new LlmExtractor(chat()).extract(input);
    assert.equal(result.notes.length, 3);
    assert.match(result.notes[0]!, /is not said in turn 0/);
    assert.match(result.notes[1]!, /owner "Bob Smith" is not an attendee/);
    assert.deepEqual(
      result.items.map((i) => [i.owner, i.due]),
      [
        ['speaker', '2026-03-13'],
        ['Priya Raman', '2026-03-20'],
      ],
    );
    answer = {
      status: 200,
      body: completion(
        JSON.stringify({
          items: [
            { turn: 0, text: 'I will send the pricing by Friday.', owner: 'speaker', due: '2026-02-30' },
          ],
        }),
      ),
    };
    const dated = await new LlmExtractor(chat()).extract(input);
    assert.match(dated.notes[0]!, /not a calendar day/);
    assert.equal(dated.items[0]!.due, '2026-03-13');
  });

  it('reports a refused key as a ChatCompletionError with the service message', async () => {
    await assert.rejects(chat('wrong').complete([{ role: 'user', content: 'x' }]), (err: unknown) => {
      assert.ok(err instanceof ChatCompletionError);
      assert.equal(err.status, 401);
      assert.match(err.message, /invalid subscription key/);
      return true;
    });
  });

  it('uses the shipped rules when no endpoint is configured', async () => {
    assert.ok(createExtractor(undefined) instanceof ShippedExtractor);
    const result = await createExtractor(undefined).extract(input);
    assert.equal(result.source, 'rules');
    assert.equal(result.items.length, 2);
  });
});
