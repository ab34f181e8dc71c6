import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { RenewableCredential } from '../../src/graph/renewable-credential.ts';

/** An inner credential that counts the token requests that reach it (MSAL's place). */
function countingCredential(lifetimeMs: number) {
  const calls: (GetTokenOptions | undefined)[] = [];
  let n = 0;
  const credential: TokenCredential = {
    getToken: async (_scopes, options) => {
      calls.push(options);
      await new Promise((r) => setTimeout(r, 5));
      return { token: `token-${++n}`, expiresOnTimestamp: Date.now() + lifetimeMs } as AccessToken;
    },
  };
  return { credential, calls };
}

test('concurrent callers share one token request, and the token is reused until it is due', async () => {
  const inner = countingCredential(3600_000);
  const credential = new RenewableCredential(() => inner.credential);
  const tokens = await Promise.all(Array.from({ length: 50 }, () => credential.getToken('scope/.default')));
  assert.equal(inner.calls.length, 1);
  assert.ok(tokens.every((t) => t?.token === 'token-1'));
  assert.equal((await credential.getToken('scope/.default'))?.token, 'token-1');
  assert.equal(inner.calls.length, 1);
});

test('a token within five minutes of its expiry is not handed out again', async () => {
  const inner = countingCredential(4 * 60_000);
  const credential = new RenewableCredential(() => inner.credential);
  await credential.getToken('scope/.default');
  await credential.getToken('scope/.default');
  assert.equal(inner.calls.length, 2);
});

test('renew() drops the kept token and asks a new inner credential', async () => {
  const first = countingCredential(3600_000);
  const second = countingCredential(3600_000);
  const inners = [first, second];
  const credential = new RenewableCredential(() => inners.shift()!.credential);
  await credential.getToken('scope/.default');
  credential.renew();
  assert.equal((await credential.getToken('scope/.default'))?.token, 'token-1');
  assert.equal(first.calls.length, 1);
  assert.equal(second.calls.length, 1);
});

test('a claims challenge always goes to the inner credential', async () => {
  const inner = countingCredential(3600_000);
  const credential = new RenewableCredential(() => inner.credential);
  await credential.getToken('scope/.default');
  await credential.getToken('scope/.default', { claims: '{"access_token":{}}' });
  assert.equal(inner.calls.length, 2);
  assert.equal(inner.calls[1]?.claims, '{"access_token":{}}');
});
