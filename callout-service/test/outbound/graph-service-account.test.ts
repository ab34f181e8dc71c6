/**
 * The `graph` posting mode against the stand-ins, with the unmodified msal-node: the device-code sign-in
 * through the CLI's code path, the token cache sealed in PostgreSQL, the card posted as the service account
 * and readable in the channel, a reply attributed to the Salesforce user, and each way the sign-in breaks
 * (password reset, MFA, Conditional Access, 90 days unused) shown in readiness with its reason while the
 * item waits, to be posted once the account signs in again.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import request from 'supertest';
import type { RunningService } from '../../src/main.ts';
import { cardMarker } from '../../src/outbound/card.ts';
import { runSignIn } from '../../src/outbound/graph-delegated/sign-in.ts';
import { WAITING_PREFIX } from '../../src/outbound/graph-delegated/service-account.ts';
import type { OutboundConfig } from '../../src/outbound/outbound-config.ts';
import { SecretBox } from '../../src/outbound/secret-box.ts';
import { createLogger } from '../../src/logger.ts';
import type { Config } from '../../src/config.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  DEAL_DESK,
  SALES_TEAM,
  callout,
  outboundTestConfig,
  serviceConfig,
  start,
  startStandIns,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

const KEY = randomBytes(32).toString('base64');
const SERVICE_USER = 'svc-teamsbridge@contoso.example';
const SERVICE_USER_ID = 'a1b2c3d4-0004-4a5b-8c9d-000000000004';
let db: TestDatabase;
let stands: Stands;
let service: RunningService;
let config: Config;
let outbound: OutboundConfig;

const signed = (method: 'put' | 'post' | 'get', path: string, body?: unknown) =>
  callout(stands, service, method, path, body);

const item = () => ({
  idempotencyKey: randomUUID(),
  kind: 'OpportunityHandoff',
  recordId: stands.opportunityId,
  payload: {
    name: 'Contoso renewal',
    amount: 125000,
    currencyIsoCode: 'EUR',
    closeDate: '2026-12-31',
    stageName: 'Qualification',
    nextStep: 'Deal desk review',
    ownerName: 'Alex Wilber',
    recordUrl: `https://contoso.my.salesforce.com/lightning/r/Opportunity/${stands.opportunityId}/view`,
    accountName: 'Contoso',
  },
});

const row = async (key: string) =>
  (await service.context.db.pool.query('SELECT * FROM outbound_items WHERE idempotency_key = $1', [key]))
    .rows[0] as Record<string, unknown>;

const cardsFor = (key: string) =>
  stands.graph.control
    .messages({ teamId: SALES_TEAM, channelId: DEAL_DESK })
    .filter((m) => m.attachments.some((a) => String(a.content).includes(cardMarker(key))));

/** The CLI's sign-in, with the stand-in's control API approving the code as the person would. */
async function signIn(): Promise<string[]> {
  const lines: string[] = [];
  const ok = await runSignIn({
    config,
    outbound,
    logger: createLogger('silent'),
    write: (line) => {
      lines.push(line);
      const code = /enter the code (\w+)/.exec(line)?.[1];
      if (code) stands.graph.control.approveDeviceCode({ userCode: code, username: SERVICE_USER });
    },
  });
  assert.ok(ok, lines.join('\n'));
  return lines;
}

const readiness = async () =>
  (await request(service.url).get('/readyz')).body as {
    ready: boolean;
    graphServiceAccount?: {
      ok: boolean;
      state: string;
      reason: string | null;
      waitingItems: number;
      username?: string;
    };
  };

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
  config = serviceConfig(stands, db.url, {
    TEAMS_BRIDGE_JWT_CERTIFICATE: stands.sf.calloutSigner.certificatePem,
    READINESS_CACHE_SECONDS: '0',
  });
  outbound = outboundTestConfig(stands, {
    OUTBOUND_SECRET_KEY: KEY,
    // Long: a waiting item is posted only because the sign-in puts it back.
    GRAPH_SERVICE_ACCOUNT_WAIT_SECONDS: '3600',
  });
  service = await start(config, { outbound });
  // Under MSAL's 5-minute renewal margin: every token use renews, so a broken sign-in shows at once.
  stands.graph.control.setTokenLifetime({ seconds: 120 });
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

test('readiness leaves the service account out until something posts in graph mode', async () => {
  assert.equal((await readiness()).graphServiceAccount, undefined);
  const set = await signed('put', '/v1/channel-posting', {
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    mode: 'graph',
  });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const r = await readiness();
  assert.equal(r.graphServiceAccount?.state, 'not-signed-in');
  assert.match(String(r.graphServiceAccount?.reason), /npm run service-account:sign-in/);
  assert.equal(r.ready, true, 'the rest of the service stays in rotation');
});

test('an item waits while nobody is signed in, and is posted as the account once the CLI signs in', async () => {
  const it = item();
  assert.equal((await signed('post', '/v1/outbound', { items: [it] })).status, 202);
  await waitFor(
    'waiting',
    async () => String((await row(it.idempotencyKey))?.last_error ?? '').startsWith(WAITING_PREFIX),
    10_000,
  );
  const waiting = await row(it.idempotencyKey);
  assert.notEqual(waiting.status, 'dead');
  assert.equal(waiting.attempts, 0, 'no attempt spent');
  assert.equal((await readiness()).graphServiceAccount?.waitingItems, 1);

  const lines = await signIn();
  assert.ok(
    lines.some((l) => /devicelogin/.test(l)),
    'the device-code prompt is printed',
  );
  assert.ok(lines.some((l) => l.includes(`Signed in as ${SERVICE_USER}`)));
  assert.ok(lines.some((l) => /1 waiting outbound item/.test(l)));
  assert.ok(!lines.some((l) => /eyJ[\w-]+\.[\w-]+\./.test(l)), 'no token printed');

  await waitFor('done', async () => (await row(it.idempotencyKey))?.status === 'done', 15_000);
  const cards = cardsFor(it.idempotencyKey);
  assert.equal(cards.length, 1, 'posted once');
  assert.equal(cards[0]!.from.user?.id, SERVICE_USER_ID, 'posted as the service account');
  assert.equal(cards[0]!.attachments[0]!.contentType, 'application/vnd.microsoft.card.adaptive');
  const card = JSON.parse(String(cards[0]!.attachments[0]!.content)) as { actions?: { type: string }[] };
  assert.ok(!(card.actions ?? []).some((a) => a.type === 'Action.Execute'), 'no Accept without the bot');
  assert.match(String((await row(it.idempotencyKey)).message_url), new RegExp(cards[0]!.id));
  const r = await readiness();
  assert.equal(r.graphServiceAccount?.state, 'ok');
  assert.equal(r.graphServiceAccount?.username, undefined, 'the unauthenticated answer names nobody');
});

test('the token cache row is sealed: no token, account or cache key in clear', async () => {
  const { rows } = await service.context.db.pool.query('SELECT * FROM graph_service_account');
  assert.equal(rows.length, 1);
  const stored = JSON.stringify(rows[0]);
  const cache = JSON.parse(
    SecretBox.fromBase64(KEY, 'k').open(String(rows[0].cache_sealed), 'graph_service_account:default'),
  ) as { RefreshToken: Record<string, { secret: string }>; AccessToken: Record<string, { secret: string }> };
  const secrets = [...Object.values(cache.RefreshToken), ...Object.values(cache.AccessToken)].map(
    (t) => t.secret,
  );
  assert.ok(secrets.length >= 2, 'the cache holds a refresh and an access token');
  for (const secret of secrets) {
    assert.ok(!stored.includes(secret.slice(0, 24)), 'no token substring in the table');
  }
  assert.ok(!String(rows[0].cache_sealed).includes('RefreshToken'));
  assert.ok(!String(rows[0].cache_sealed).includes(SERVICE_USER_ID));
});

test('a reply from the record page goes into the thread as the account, naming the Salesforce user', async () => {
  const it = item();
  await signed('post', '/v1/outbound', { items: [it] });
  await waitFor('done', async () => (await row(it.idempotencyKey))?.status === 'done', 15_000);
  const parent = cardsFor(it.idempotencyKey)[0]!;
  await new Promise((resolve) => setTimeout(resolve, 1100)); // the channel's 1 post/s
  const sent = await signed('post', '/v1/conversation/reply', {
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    messageId: parent.id,
    text: 'Pricing <approved> & sent',
    senderEmail: 'sam.rep@contoso.example',
    senderName: 'Sam Rep',
    idempotencyKey: randomUUID(),
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const replies = stands.graph.control
    .messages({ teamId: SALES_TEAM, channelId: DEAL_DESK })
    .filter((m) => m.replyToId === parent.id);
  assert.equal(replies.length, 1);
  assert.equal(replies[0]!.from.user?.id, SERVICE_USER_ID);
  assert.match(
    replies[0]!.body.content,
    /<strong>Sam Rep<\/strong> \(from Salesforce\): Pricing &lt;approved&gt; &amp; sent/,
  );
});

const fragilities: Array<{
  name: string;
  breakIt: () => unknown;
  fix?: () => unknown;
  reason: RegExp;
  code: string;
}> = [
  {
    name: 'a password reset',
    breakIt: () => stands.graph.control.resetPassword({ userId: SERVICE_USER_ID }),
    reason: /password was reset.*npm run service-account:sign-in/,
    code: 'AADSTS50173',
  },
  {
    name: 'MFA newly required',
    breakIt: () => stands.graph.control.setSignInPolicy({ userId: SERVICE_USER_ID, policy: 'mfa' }),
    fix: () => stands.graph.control.setSignInPolicy({ userId: SERVICE_USER_ID, policy: null }),
    reason: /MFA is now required/,
    code: 'AADSTS50076',
  },
  {
    name: 'a Conditional Access block',
    breakIt: () =>
      stands.graph.control.setSignInPolicy({ userId: SERVICE_USER_ID, policy: 'conditional-access' }),
    fix: () => stands.graph.control.setSignInPolicy({ userId: SERVICE_USER_ID, policy: null }),
    reason: /Conditional Access blocks the service account/,
    code: 'AADSTS53003',
  },
  {
    name: '90 days without use',
    breakIt: () => stands.graph.control.expireRefreshTokens({ userId: SERVICE_USER_ID }),
    reason: /refresh token expired after 90 days without use/,
    code: 'AADSTS700082',
  },
];

for (const f of fragilities) {
  test(`${f.name}: readiness says why before a post, the item waits, and is posted after signing in again`, async () => {
    f.breakIt();
    const r = await readiness();
    assert.equal(r.graphServiceAccount?.ok, false);
    assert.equal(r.graphServiceAccount?.state, 'failing');
    assert.match(String(r.graphServiceAccount?.reason), f.reason);
    assert.match(String(r.graphServiceAccount?.reason), new RegExp(f.code));

    const it = item();
    await signed('post', '/v1/outbound', { items: [it] });
    await waitFor(
      'waiting',
      async () => String((await row(it.idempotencyKey))?.last_error ?? '').startsWith(WAITING_PREFIX),
      10_000,
    );
    const waiting = await row(it.idempotencyKey);
    assert.match(String(waiting.last_error), f.reason);
    assert.equal(waiting.attempts, 0);
    assert.equal(cardsFor(it.idempotencyKey).length, 0);

    const status = await signed('get', '/v1/status');
    assert.equal(status.body.graphServiceAccount.state, 'failing');
    assert.equal(status.body.graphServiceAccount.username, SERVICE_USER);
    assert.match(status.body.message, f.reason);

    f.fix?.();
    await signIn();
    await waitFor('done', async () => (await row(it.idempotencyKey))?.status === 'done', 15_000);
    assert.equal(cardsFor(it.idempotencyKey).length, 1);
    assert.equal((await readiness()).graphServiceAccount?.state, 'ok');
  });
}

test('readiness warns days before the refresh token would expire unused', async () => {
  stands.graph.control.setTokenLifetime({ seconds: 3600 });
  try {
    await signIn();
    await service.context.db.pool.query(
      `UPDATE graph_service_account SET signed_in_at = now() - interval '80 days', last_refresh_at = now() - interval '80 days'`,
    );
    const r = await readiness();
    assert.equal(r.graphServiceAccount?.state, 'expiring');
    assert.equal(r.graphServiceAccount?.ok, true, 'still works');
    assert.match(String(r.graphServiceAccount?.reason), /expires in (9|10) day\(s\) without use/);
  } finally {
    stands.graph.control.setTokenLifetime({ seconds: 120 });
  }
});

test('a reply while the account cannot sign in is refused with the reason, and the same key works after sign-in', async () => {
  await signIn(); // an access token that is due, as an hour after the reset would be
  stands.graph.control.resetPassword({ userId: SERVICE_USER_ID });
  const reply = {
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    text: 'Following up',
    senderEmail: 'sam.rep@contoso.example',
    senderName: 'Sam Rep',
    idempotencyKey: randomUUID(),
  };
  const refused = await signed('post', '/v1/conversation/reply', reply);
  assert.equal(refused.status, 503);
  assert.equal(refused.body.error.code, 'service_account_signed_out');
  assert.match(refused.body.error.message, /password was reset.*npm run service-account:sign-in/);
  await signIn();
  const sent = await signed('post', '/v1/conversation/reply', reply);
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
});
