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
