/** The AES-256-GCM box sealing webhook URLs: round trip, bound to its row, refused under another key. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SecretBox, SecretBoxError } from '../../src/outbound/secret-box.ts';

const key = () => randomBytes(32).toString('base64');
const URL = 'https://example.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=s3cret';

test('a sealed value opens for its row only, and never under another key', () => {
  const box = SecretBox.fromBase64(key(), 'K');
  const sealed = box.seal(URL, 'row-1');
  assert.ok(!sealed.includes('s3cret') && !sealed.includes('logic.azure'));
  assert.notEqual(box.seal(URL, 'row-1'), sealed, 'a fresh IV each time');
  assert.equal(box.open(sealed, 'row-1'), URL);
  assert.throws(() => box.open(sealed, 'row-2'), SecretBoxError);
  assert.throws(() => SecretBox.fromBase64(key(), 'K').open(sealed, 'row-1'), /does not open with this key/);
  const [v, iv, tag, data] = sealed.split('.');
  const first = data![0] === 'A' ? 'B' : 'A';
  const flipped = `${v}.${iv}.${tag}.${first}${data!.slice(1)}`;
  assert.throws(() => box.open(flipped, 'row-1'), SecretBoxError);
});

test('a key that is not 32 bytes is refused with how to make one', () => {
  assert.throws(
    () => SecretBox.fromBase64(randomBytes(16).toString('base64'), 'OUTBOUND_SECRET_KEY'),
    /32 bytes/,
  );
});
