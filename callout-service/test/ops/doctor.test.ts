import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { formatDoctor, runDoctor, type CheckOutcome } from '../../src/ops/doctor.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { serviceConfig, startStandIns, type Stands } from '../helpers/stack.ts';

let db: TestDatabase;
let stands: Stands;
const good = {
  PUBLIC_BASE_URL: 'https://teams-bridge.example.com',
  TEAMS_BRIDGE_SIGNING_SECRET: 'a-signing-secret-of-at-least-32-characters',
};

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
});
after(async () => {
  await stands?.close();
  await db?.close();
});
beforeEach(() => {
  stands.graph.control.reset();
  stands.sf.control.clearFaults();
});

const doctor = (env: Record<string, string> = {}) =>
  runDoctor(serviceConfig(stands, db.url, { ...good, ...env }));
const failed = (results: CheckOutcome[]) => results.filter((r) => !r.ok);

test('everything set up: every check passes, including each Graph permission with a live call', async () => {
  const results = await doctor();
  assert.deepEqual(failed(results), []);
  for (const p of [
    'Team.ReadBasic.All',
    'Channel.ReadBasic.All',
    'ChannelMessage.Read.All',
    'User.Read.All',
  ]) {
    assert.ok(
      results.some((r) => r.name === `Graph permission ${p}` && r.ok),
      p,
    );
  }
  assert.match(formatDoctor(results), /Everything checks out/);
});

test('a Graph permission without admin consent: 403 Authorization_RequestDenied -> grant admin consent for it', async () => {
  stands.graph.control.revokeConsent({ permissions: ['ChannelMessage.Read.All'] });
  const [failure, ...rest] = failed(await doctor());
  assert.equal(rest.length, 0);
  assert.equal(failure!.name, 'Graph permission ChannelMessage.Read.All');
  assert.match(failure!.detail, /403/);
  assert.match(failure!.fix!, /Grant admin consent for ChannelMessage\.Read\.All/);
});

test('a wrong Graph client secret says which variable to fix and never prints the secret', async () => {
  const results = await doctor({ GRAPH_CLIENT_SECRET: 'not-the-secret-value' });
  const failure = failed(results).find((r) => r.name === 'Graph token');
  assert.ok(failure);
  assert.match(failure.fix!, /GRAPH_CLIENT_SECRET/);
  assert.equal(formatDoctor(results).includes('not-the-secret-value'), false);
});

test('Salesforce refusals: IP restriction, INVALID_LOGIN, an unpropagated connected app', async () => {
  stands.sf.control.setFaults({ tokenEndpoint: 'ip_restricted' });
  let failure = failed(await doctor()).find((r) => r.name === 'Salesforce login');
  assert.match(failure!.fix!, /IP restriction/);

  stands.sf.control.setFaults({ tokenEndpoint: 'invalid_login' });
  failure = failed(await doctor()).find((r) => r.name === 'Salesforce login');
  assert.match(failure!.fix!, /INVALID_LOGIN/);

  stands.sf.control.clearFaults();
  failure = failed(await doctor({ SF_CLIENT_ID: '3MVG9notYetPropagated' })).find(
    (r) => r.name === 'Salesforce login',
  );
  assert.match(failure!.detail, /invalid_client_id/);
  assert.match(failure!.fix!, /up to 10 minutes/);
});

test('doctor CLI: a configuration problem is reported with exit code 1', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/ops/doctor-cli.ts'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { PATH: process.env.PATH, GRAPH_TENANT_ID: 't' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /GRAPH_CLIENT_ID/);
  assert.match(run.stdout, /SF_CLIENT_ID/);
});

test('transcripts: OnlineMeetingTranscript.Read.All and the application access policy are checked', async () => {
  const ok = await doctor();
  assert.ok(ok.some((r) => r.name === 'Graph permission OnlineMeetingTranscript.Read.All' && r.ok));
  assert.ok(ok.some((r) => r.name === 'Application access policy' && r.ok));

  stands.graph.control.revokeAccessPolicy();
  const [policy, ...others] = failed(await doctor());
  assert.equal(others.length, 0);
  assert.equal(policy!.name, 'Application access policy');
  assert.match(policy!.detail, /No application access policy found for this app/);
  assert.match(policy!.fix!, /Grant-CsApplicationAccessPolicy/);

  stands.graph.control.reset();
  stands.graph.control.revokeConsent({ permissions: ['OnlineMeetingTranscript.Read.All'] });
  const [permission] = failed(await doctor());
  assert.equal(permission!.name, 'Graph permission OnlineMeetingTranscript.Read.All');
  assert.match(permission!.fix!, /Grant admin consent for OnlineMeetingTranscript\.Read\.All/);
});
