import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../src/logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('debug', stream) };
}

test('secrets, clientState and message content are redacted', () => {
  const { lines, logger } = capture();
  logger.info(
    {
      clientState: 'per-subscription-secret',
      headers: { authorization: 'Bearer abc.def' },
      notification: { clientState: 'nested-secret', encryptedContent: { data: 'cipher' } },
      config: { clientSecret: 'graph-secret', privateKey: '-----BEGIN' },
      body: { content: '<p>confidential deal</p>' },
      message: { body: { content: 'confidential' }, text: 'confidential text' },
      subscriptionId: 'sub-1',
    },
    'notification',
  );
  const out = lines.join('');
  for (const secret of [
    'per-subscription-secret',
    'Bearer abc',
    'nested-secret',
    'cipher',
    'graph-secret',
    'BEGIN',
    'confidential',
  ]) {
    assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
  }
  assert.ok(out.includes('sub-1'), 'ids are kept');
});

test("a lost PostgreSQL connection's error is logged without the pg Client node-postgres attaches to it", () => {
  const { lines, logger } = capture();
  const err = Object.assign(new Error('terminating connection due to administrator command'), {
    code: '57P01',
    client: { processID: 10399, secretKey: 1564585652, connectionParameters: { user: 'teams_bridge' } },
  });
  logger.warn({ err }, 'idle PostgreSQL connection lost');
  const line = JSON.parse(lines.join('')) as { err: Record<string, unknown> };
  assert.equal(line.err.message, 'terminating connection due to administrator command');
  assert.equal(line.err.code, '57P01');
  assert.equal(line.err.client, undefined);
  assert.ok(!lines.join('').includes('1564585652'), 'no cancel key in the log');
});
