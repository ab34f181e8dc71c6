/**
 * The Teams app installed in linked teams through Graph, and the teams without it named in readiness and
 * /v1/status: consent missing (403, backoff, not one call per item), granted (installed, the bot's events
 * keep the conversation reference, cards post), already installed (409).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import request from 'supertest';
import type { RunningService } from '../../src/main.ts';
import { loadAppInstallConfig } from '../../src/outbound/app-install-config.ts';
import {
  getInstallation,
  markInstalledWithoutEvent,
  saveInstallation,
} from '../../src/outbound/installations.ts';
import { cardMarker } from '../../src/outbound/card.ts';
import { INSTALL_PERMISSION } from '../../src/outbound/teams-app-permissions.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  DEAL_DESK,
  SALES_TEAM,
  callout,
  startOutboundService,
  startStandIns,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

let db: TestDatabase;
let stands: Stands;
let service: RunningService;
let items: { idempotencyKey: string; kind: string; recordId: string; payload: { name: string } }[] = [];

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
  // The app is in the org's catalog but not in the Sales team, and the admin has not consented to installs.
  await stands.graph.control.uninstallBot({ teamId: SALES_TEAM, silent: true });
  stands.graph.control.revokeConsent({ permissions: [INSTALL_PERMISSION] });
  service = await startOutboundService(stands, db.url, {
    env: { READINESS_CACHE_SECONDS: '0' },
    outboundEnv: { OUTBOUND_MAX_ATTEMPTS: '50' },
    appInstall: loadAppInstallConfig({
      TEAMS_APP_ID: stands.graph.teamsApp.manifestId!,
      TEAMS_APP_INSTALL_INTERVAL_SECONDS: '0.1',
      TEAMS_APP_INSTALL_RETRY_SECONDS: '0.05',
    }),
  });
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

const readyz = async () => {
  const answer = await request(service.url).get('/readyz');
  return { status: answer.status, body: answer.body as Record<string, unknown> & { degraded: string[] } };
};
const status = async () =>
  (await callout(stands, service, 'get', '/v1/status')).body as {
    healthy: boolean;
    teamsWithoutApp: { teamId: string; teamName: string | null; lastInstallAttempt: string | null }[];
  };
const installPosts = () =>
  stands.graph.control.requests({ method: 'POST', pathContains: `/teams/${SALES_TEAM}/installedApps` })
    .length;
const installed = async () =>
  (await service.context.db.pool.query('SELECT * FROM bot_installations WHERE team_id = $1', [SALES_TEAM]))
    .rows[0] as { installed: boolean; service_url: string; team_thread_id: string } | undefined;

test('without consent: ready, degraded, the team named with what to grant; installs back off instead of following items', async () => {
  await waitFor(
    'the install was tried and refused',
    async () =>
      (await status()).teamsWithoutApp[0]?.lastInstallAttempt?.includes(INSTALL_PERMISSION) === true,
    15_000,
  );
  const r = await readyz();
  assert.equal(r.status, 200, 'one team without the app does not take the replica out of the load balancer');
  assert.equal(r.body.ready, true);
  assert.deepEqual(r.body.degraded, ['teamsApp']);
  assert.deepEqual(r.body.teamsApp, { ok: false, checked: true, teamsWithoutApp: ['Sales'] });
  assert.doesNotMatch(JSON.stringify(r.body), /127\.0\.0\.1|localhost/);
  const s = await status();
  assert.equal(s.teamsWithoutApp.length, 1);
  assert.equal(s.teamsWithoutApp[0]!.teamId, SALES_TEAM);
  assert.equal(s.teamsWithoutApp[0]!.teamName, 'Sales');
  assert.match(s.teamsWithoutApp[0]!.lastInstallAttempt!, /403 Authorization_RequestDenied/);

  // Twenty handoffs for the team: the worker wakes the installer, but the team's backoff decides the calls.
  const before = installPosts();
  items = Array.from({ length: 20 }, () => ({
    idempotencyKey: randomUUID(),
    kind: 'OpportunityHandoff',
    recordId: stands.opportunityId,
    payload: { name: 'Contoso renewal' },
  }));
  const sent = await callout(stands, service, 'post', '/v1/outbound', { items });
  assert.equal(sent.status, 202);
  await new Promise((r) => setTimeout(r, 1500));
  const calls = installPosts() - before;
  assert.ok(calls <= 6, `at most a handful of install calls in 1.5 s with backoff, got ${calls}`);
  const { rows } = await service.context.db.pool.query<{ attempts: number }>(
    'SELECT attempts FROM team_app_installs WHERE team_id = $1',
    [SALES_TEAM],
  );
  assert.ok(rows[0]!.attempts >= 2, 'failures count, so the backoff grows');
});

test('consent granted: installed through Graph, the bot keeps the conversation reference, a new card posts once', async () => {
  stands.graph.control.grantConsent({ permissions: [INSTALL_PERMISSION] });
  stands.graph.control.expireTokens(); // a new token carries the new role
  // A second survey may meet Graph's 409 before the event arrives (recorded without a thread id): the
  // installation event is what brings the conversation reference.
  await waitFor(
    'installed, with the conversation reference from the event',
    async () => Boolean((await installed())?.team_thread_id),
    20_000,
  );
  const row = (await installed())!;
  assert.equal(row.service_url, stands.graph.botFramework.serviceUrl, 'from the installation event');
  assert.match(row.team_thread_id, /^19:.*@thread\.tacv2$/);
  // Teams delivers the two events one after the other, after answering Graph: wait for the second answer.
  const lastTwo = () =>
    stands.graph.control
      .botDeliveries()
      .slice(-2)
      .map((d) => [d.type, d.status]);
  await waitFor(
    'both installation events answered',
    async () => {
      const last = lastTwo();
      return (
        last[1]?.[0] === 'installationUpdate' && last.every(([, answered]) => typeof answered === 'number')
      );
    },
    10_000,
  );
  assert.deepEqual(lastTwo(), [
    ['conversationUpdate', 200],
    ['installationUpdate', 200],
  ]);
  await waitFor('readiness names no team', async () => (await readyz()).body.degraded.length === 0, 10_000);
  assert.deepEqual((await readyz()).body.teamsApp, { ok: true, checked: true, teamsWithoutApp: [] });
  assert.deepEqual((await status()).teamsWithoutApp, []);
  // A handoff sent now posts as the bot, once.
  const fresh = {
    idempotencyKey: randomUUID(),
    kind: 'OpportunityHandoff',
    recordId: stands.opportunityId,
    payload: { name: 'Contoso renewal' },
  };
  items = [fresh];
  const sent = await callout(stands, service, 'post', '/v1/outbound', { items });
  assert.equal(sent.status, 202);
  await waitFor(
    'the handoff posted',
    async () =>
      (
        await service.context.db.pool.query<{ status: string }>(
          'SELECT status FROM outbound_items WHERE idempotency_key = $1',
          [fresh.idempotencyKey],
        )
      ).rows[0]?.status === 'done',
    30_000,
  );
  const contents = stands.graph.control
    .messages({ teamId: SALES_TEAM, channelId: DEAL_DESK })
    .flatMap((m) => m.attachments.map((a) => String(a.content)));
  for (const it of items) {
    assert.equal(contents.filter((c) => c.includes(cardMarker(it.idempotencyKey))).length, 1);
  }
});

test('already installed in Teams but the service never heard (its record lost): 409 recorded as installed', async () => {
  await service.context.db.pool.query('DELETE FROM bot_installations WHERE team_id = $1', [SALES_TEAM]);
  await service.context.db.pool.query('UPDATE team_app_installs SET next_attempt_at = now()');
  const before = installPosts();
  await waitFor('installed again', async () => (await installed())?.installed === true, 15_000);
  assert.ok(installPosts() > before, 'the installer asked Graph');
  const { rows } = await service.context.db.pool.query<{ last_outcome: string }>(
    'SELECT last_outcome FROM team_app_installs WHERE team_id = $1',
    [SALES_TEAM],
  );
  assert.match(rows[0]!.last_outcome, /409/);
  // The default service URL (BOT_SERVICE_URL) stands in until the team's next event brings its own.
  assert.equal((await installed())!.service_url, stands.graph.botFramework.serviceUrl);
});

test('a 409 answered while the installation event arrives keeps what the event recorded', async () => {
  const pool = service.context.db.pool;
  const teamId = randomUUID();
  await saveInstallation(pool, {
    teamId,
    teamThreadId: '19:event@thread.tacv2',
    serviceUrl: 'https://smba.example/teams/',
    tenantId: 'tenant',
    installed: true,
  });
  await markInstalledWithoutEvent(pool, teamId, 'https://default.example/');
  const kept = await getInstallation(pool, teamId);
  assert.equal(kept?.teamThreadId, '19:event@thread.tacv2');
  assert.equal(kept?.serviceUrl, 'https://smba.example/teams/');
  const unknown = randomUUID();
  await markInstalledWithoutEvent(pool, unknown, 'https://default.example/');
  assert.deepEqual(await getInstallation(pool, unknown), {
    teamId: unknown,
    teamThreadId: '',
    serviceUrl: 'https://default.example/',
    tenantId: null,
    installed: true,
  });
});
