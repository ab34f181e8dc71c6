/**
 * The service account's parts on their own: the AADSTS codes classified into what an admin does, the
 * status computed from the row (not signed in, failing, expiring, ok), and the compare-and-set writes
 * that keep several replicas from overwriting a newer cache (a fresh sign-in above all) with an older one.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { AccountRows, type AccountRow } from '../../src/outbound/graph-delegated/account-row.ts';
import { classifySignInFailure } from '../../src/outbound/graph-delegated/sign-in-failure.ts';
import { serviceAccountStatus } from '../../src/outbound/graph-delegated/status.ts';
import { SecretBox } from '../../src/outbound/secret-box.ts';
import { migrate } from '../../src/store/migrations.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';

const msalError = (errorCode: string, description: string) =>
  Object.assign(new Error(`${errorCode}: ${description}`), { errorCode, errorMessage: description });

test('each AADSTS code becomes a reason that says what to do', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    [
      'invalid_grant',
      'AADSTS50173: The provided grant has expired due to it being revoked',
      'password-reset',
      /password was reset.*sign-in` again/,
    ],
    [
      'invalid_grant',
      'AADSTS50076: Due to a configuration change ... you must use multi-factor authentication',
      'mfa-required',
      /MFA is now required/,
    ],
    [
      'invalid_grant',
      'AADSTS50079: ... you must enroll in multi-factor authentication',
      'mfa-required',
      /MFA/,
    ],
    [
      'interaction_required',
      'AADSTS53003: Access has been blocked by Conditional Access policies.',
      'conditional-access',
      /Conditional Access blocks.*exclude it/,
    ],
    [
      'invalid_grant',
      'AADSTS700082: The refresh token has expired due to inactivity.',
      'refresh-expired',
      /90 days without use/,
    ],
    [
      'invalid_grant',
      'AADSTS65001: The user or administrator has not consented',
      'consent-missing',
      /admin consent for ChannelMessage\.Send/,
    ],
    ['invalid_grant', 'AADSTS99999: Something new.', 'rejected', /refused to renew/],
  ];
  for (const [code, description, kind, reason] of cases) {
    const failure = classifySignInFailure(msalError(code, description));
    assert.equal(failure.kind, kind, description);
    assert.match(failure.reason, reason);
    assert.match(failure.code, /^AADSTS\d+$/);
  }
  const offline = classifySignInFailure(
    Object.assign(new Error('connect ECONNREFUSED 10.0.0.4:443 https://login.example/x'), {
      errorCode: 'network_error',
    }),
  );
  assert.equal(offline.kind, 'transient');
  assert.ok(!/10\.0\.0\.4|https:/.test(offline.reason), 'no address in the reason (readiness shows it)');
});

const row = (over: Partial<AccountRow> = {}): AccountRow => ({
  username: 'svc@contoso.example',
  cacheJson: '{}',
  version: 1,
  signedInAt: new Date('2026-01-01T00:00:00Z'),
  lastRefreshAt: new Date('2026-01-01T00:00:00Z'),
  lastFailure: null,
  lastFailureCode: null,
  lastFailureAt: null,
  ...over,
});

test('status: not signed in, failing after the last renewal, expiring within the warning days, ok', () => {
  const at = (iso: string) => ({ now: new Date(iso), warnDays: 14, waitingItems: 2 });
  const none = serviceAccountStatus(undefined, at('2026-01-02T00:00:00Z'));
  assert.equal(none.state, 'not-signed-in');
  assert.equal(none.ok, false);

  const ok = serviceAccountStatus(row(), at('2026-02-01T00:00:00Z'));
  assert.equal(ok.state, 'ok');
  assert.equal(ok.refreshTokenExpiresAt, '2026-04-01T00:00:00.000Z', '90 days after the last renewal');

  const soon = serviceAccountStatus(row(), at('2026-03-20T00:00:00Z'));
  assert.equal(soon.state, 'expiring');
  assert.equal(soon.ok, true);
  assert.match(String(soon.reason), /expires in 12 day\(s\) without use \(2026-04-01\)/);
  const gone = serviceAccountStatus(row(), at('2026-04-05T00:00:00Z'));
  assert.match(String(gone.reason), /has likely expired/);

  const failing = serviceAccountStatus(
    row({
      lastFailure: 'MFA is now required',
      lastFailureCode: 'AADSTS50076',
      lastFailureAt: new Date('2026-01-03T00:00:00Z'),
    }),
    at('2026-01-04T00:00:00Z'),
  );
  assert.equal(failing.state, 'failing');
  assert.equal(failing.ok, false);
  assert.equal(failing.failureCode, 'AADSTS50076');
  assert.equal(failing.waitingItems, 2);
  const recovered = serviceAccountStatus(
    row({ lastFailure: 'old', lastFailureAt: new Date('2025-12-31T00:00:00Z') }),
    at('2026-01-04T00:00:00Z'),
  );
  assert.equal(recovered.state, 'ok', 'a failure before the last good renewal is over');
});

let db: TestDatabase;
let pool: pg.Pool;
before(async () => {
  db = await testDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await migrate(pool);
});
after(async () => {
  await pool?.end();
  await db?.close();
});

test('replicas write the cache compare-and-set: an older renewal never overwrites a newer sign-in', async () => {
  const box = SecretBox.fromBase64(randomBytes(32).toString('base64'), 'K');
  const replicaA = new AccountRows(pool, box, 'default');
  const replicaB = new AccountRows(pool, box, 'default');
  await replicaA.replace('svc@contoso.example', '{"a":1}');
  const readByA = (await replicaA.load())!;
  const readByB = (await replicaB.load())!;
  assert.equal(readByA.version, readByB.version);

  // Both renewed from the same version: the first write wins, the second is dropped.
  assert.equal(await replicaA.saveIfUnchanged('{"a":2}', readByA.version), true);
  assert.equal(await replicaB.saveIfUnchanged('{"b":2}', readByB.version), false);
  assert.equal((await replicaB.load())!.cacheJson, '{"a":2}');

  // A sign-in meanwhile: the renewal that read before it cannot overwrite it.
  const beforeSignIn = (await replicaA.load())!.version;
  await replicaB.replace('svc2@contoso.example', '{"fresh":true}');
  assert.equal(await replicaA.saveIfUnchanged('{"stale":true}', beforeSignIn), false);
  const now = (await replicaA.load())!;
  assert.equal(now.cacheJson, '{"fresh":true}');
  assert.equal(now.username, 'svc2@contoso.example');

  // Sealed under another account's binding, the row does not open.
  const other = new AccountRows(pool, box, 'other');
  await pool.query(
    `INSERT INTO graph_service_account (account_key, username, cache_sealed)
     SELECT 'other', username, cache_sealed FROM graph_service_account WHERE account_key = 'default'`,
  );
  await assert.rejects(other.load(), /does not open/);
});
