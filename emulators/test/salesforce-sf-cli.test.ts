/**
 * The repository's own sf CLI against the Salesforce stand-in, as an admin uses it: log in with an access
 * token, query (plain and through a relationship), create a record, describe an object. The CLI runs with
 * telemetry and update checks off and its state in a temporary HOME.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSalesforceEmulator, type SalesforceEmulator } from '../src/salesforce/index.ts';
import { FIXTURE_PROJECT } from './fixtures/salesforce/connect.ts';

const sfRun = new URL('../../node_modules/@salesforce/cli/bin/run.js', import.meta.url).pathname;
let sf: SalesforceEmulator;
let home: string;
let env: NodeJS.ProcessEnv;

function runSf(args: string[]): Promise<{ code: number | null; json: Record<string, unknown>; raw: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sfRun, ...args, '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve({ code, json: JSON.parse(out) as Record<string, unknown>, raw: out });
      } catch {
        reject(new Error(`sf ${args.join(' ')} printed no JSON (exit ${code}):\n${out}\n${err}`));
      }
    });
  });
}

before(async () => {
  sf = await startSalesforceEmulator({ port: 0, projectDir: FIXTURE_PROJECT });
  home = mkdtempSync(join(tmpdir(), 'tb-sf-cli-'));
  const token = (await (
    await fetch(`${sf.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: sf.clientId,
        client_secret: sf.clientSecret,
        username: sf.adminUser.username,
        password: sf.adminUser.password,
      }),
    })
  ).json()) as { access_token: string };
  env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    SF_DISABLE_TELEMETRY: 'true',
    SFDX_DISABLE_TELEMETRY: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SFDX_AUTOUPDATE_DISABLE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_USE_PROGRESS_BAR: 'false',
    SF_ACCESS_TOKEN: token.access_token,
    NODE_OPTIONS: '',
  };
});

after(async () => {
  await sf?.close();
  rmSync(home, { recursive: true, force: true });
});

test('sf org login access-token saves the org (its instance URL ends in "/", so later calls go to //services/...)', async () => {
  const login = await runSf([
    'org',
    'login',
    'access-token',
    '--instance-url',
    sf.instanceUrl,
    '--no-prompt',
    '--alias',
    'sandbox',
  ]);
  assert.equal(login.code, 0, login.raw);
  assert.equal((login.json.result as { username: string }).username, sf.adminUser.username);
});

test('sf data query: plain fields and a relationship field', async () => {
  const plain = await runSf([
    'data',
    'query',
    '--target-org',
    'sandbox',
    '--query',
    'SELECT Id, Name FROM Account',
  ]);
  assert.equal(plain.code, 0, plain.raw);
  const records = (plain.json.result as { records: { Name: string }[] }).records;
  assert.ok(
    records.some((r) => r.Name === 'Contoso Ltd'),
    plain.raw,
  );

  const related = await runSf([
    'data',
    'query',
    '--target-org',
    'sandbox',
    '--query',
    'SELECT Name, StageName, Owner.Name FROM Opportunity',
  ]);
  assert.equal(related.code, 0, related.raw);
  const deals = (related.json.result as { records: { Name: string; Owner: { Name: string } }[] }).records;
  assert.ok(deals.length > 0 && deals.every((d) => typeof d.Owner?.Name === 'string'), related.raw);
});

test('sf data create record and sf sobject describe', async () => {
  const created = await runSf([
    'data',
    'create',
    'record',
    '--target-org',
    'sandbox',
    '--sobject',
    'Account',
    '--values',
    "Name='Northwind Traders'",
  ]);
  assert.equal(created.code, 0, created.raw);
  const id = (created.json.result as { id: string }).id;
  assert.match(id, /^001/);
  assert.equal(sf.control.record(id)?.Name, 'Northwind Traders');

  const described = await runSf([
    'sobject',
    'describe',
    '--target-org',
    'sandbox',
    '--sobject',
    'Opportunity',
  ]);
  assert.equal(described.code, 0, described.raw);
  const fields = described.json.result as { name: string; fields: { name: string }[] };
  assert.equal(fields.name, 'Opportunity');
  assert.ok(fields.fields.some((f) => f.name === 'StageName'));
});
