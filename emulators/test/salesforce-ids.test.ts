import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checksumSuffix, IdFactory, normaliseId, to18 } from '../src/salesforce/ids.ts';

// Published 15 → 18 character pairs (Salesforce's CASESAFEID results).
const KNOWN: [string, string][] = [
  ['a01M00000062mPg', 'a01M00000062mPgIAI'],
  ['001M000000qfPyS', '001M000000qfPySIAU'],
  ['a0FE000000D6r3F', 'a0FE000000D6r3FMAR'],
  ['0F9E000000092w2', '0F9E000000092w2KAA'],
  ['aBcDEfgHIJKLMNO', 'aBcDEfgHIJKLMNO025'],
  ['a0D30000001n7Pi', 'a0D30000001n7PiEAI'],
];

test('18-character ids carry the case checksum Salesforce computes', () => {
  for (const [id15, id18] of KNOWN) {
    assert.equal(to18(id15), id18);
    assert.equal(checksumSuffix(id15), id18.slice(15));
  }
});

test('15-character ids are accepted and normalised; malformed ids are refused', () => {
  assert.equal(normaliseId('001M000000qfPyS'), '001M000000qfPySIAU');
  assert.equal(normaliseId('001M000000qfPySIAU'), '001M000000qfPySIAU');
  assert.equal(normaliseId('001M000000qfPySiau'), '001M000000qfPySIAU', 'the suffix is case-insensitive');
  assert.equal(normaliseId('001M000000qfPySAAA'), undefined, 'wrong checksum');
  assert.equal(normaliseId('001M000000qfPy'), undefined, 'too short');
  assert.equal(normaliseId('001M000000qfPy$'), undefined, 'bad character');
});

test('minted ids have the key prefix and a valid checksum', () => {
  const ids = new IdFactory();
  const a = ids.next('00T');
  const b = ids.next('00T');
  assert.match(a, /^00T[a-zA-Z0-9]{12}[A-Z0-5]{3}$/);
  assert.notEqual(a, b);
  assert.equal(normaliseId(a), a);
});
