import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningService } from '../../src/main.ts';
import { bearerMatches } from '../../src/routes/metrics.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { serviceConfig, start, startStandIns, subscribe, type Stands } from '../helpers/stack.ts';
import { waitFor } from '../helpers/wait.ts';

const TOKEN = 'metrics-scraper-secret-0123456789';

let db: TestDatabase;
let stands: Stands;
let service: RunningService;
/** SQL text of every query the service's pool ran since the last reset. */
let queries: string[] = [];

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
  service = await start(
    serviceConfig(stands, db.url, {
      METRICS_BEARER_TOKEN: TOKEN,
      METRICS_REFRESH_SECONDS: '1',
      WORKER_ENABLED: 'false',
    }),
  );
  const pool = service.context.db.pool;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    queries.push(typeof first === 'string' ? first : String((first as { text?: string })?.text ?? ''));
    return query(...args);
  };
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

const scrape = (token?: string) => {
  const r = request(service.url).get('/metrics');
  return token === undefined ? r : r.set('Authorization', `Bearer ${token}`);
};
const gaugeQueries = () =>
  queries.filter((q) => /FROM subscriptions/.test(q) || /state IN \('created', 'retry'\)/.test(q));

test('300 scrapes run no database query per scrape: the gauges come from the timer-refreshed snapshot', async () => {
  queries = [];
  const started = Date.now();
  for (let i = 0; i < 300; i++) {
    const r = await scrape(TOKEN);
    assert.equal(r.status, 200);
    assert.match(r.text, /teams_bridge_queue_depth\{queue="/);
    assert.match(r.text, /teams_bridge_subscriptions\{status="Active"\}/);
  }
  const seconds = (Date.now() - started) / 1000;
  // The timer runs 3 queries a second (two queue depths, one subscriptions read), whatever the scrape rate.
  const allowed = 3 * (Math.ceil(seconds) + 1);
  assert.ok(
    gaugeQueries().length <= allowed,
    `${gaugeQueries().length} gauge queries for 300 scrapes in ${seconds.toFixed(1)} s (at most ${allowed})`,
  );
  assert.ok(queries.length < 300, `${queries.length} queries in all during 300 scrapes`);
});

test('the snapshot follows the database on the timer', async () => {
  await subscribe(service);
  await waitFor('the Active subscription in /metrics', async () =>
    /teams_bridge_subscriptions\{status="Active"\} 1\b/.test((await scrape(TOKEN)).text),
  );
});

test('/metrics answers 401 without the bearer token or with a wrong one, 200 with it', async () => {
  const none = await scrape();
  assert.equal(none.status, 401);
  assert.match(String(none.headers['www-authenticate']), /^Bearer/);
  assert.doesNotMatch(none.text, /teams_bridge_/);
  assert.equal((await scrape('wrong-token')).status, 401);
  assert.equal((await scrape(`${TOKEN}x`)).status, 401);
  assert.equal((await request(service.url).get('/metrics').set('Authorization', TOKEN)).status, 401);
  assert.equal((await scrape(TOKEN)).status, 200);
});

test('bearerMatches compares the whole token and needs the Bearer scheme', () => {
  assert.equal(bearerMatches(`Bearer ${TOKEN}`, TOKEN), true);
  assert.equal(bearerMatches(`bearer ${TOKEN}`, TOKEN), true);
  assert.equal(bearerMatches(undefined, TOKEN), false);
  assert.equal(bearerMatches('', TOKEN), false);
  assert.equal(bearerMatches(`Basic ${TOKEN}`, TOKEN), false);
  assert.equal(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN), false);
});
