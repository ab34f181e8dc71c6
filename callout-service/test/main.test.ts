import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDatabase, type TestDatabase } from './helpers/postgres.ts';
import { waitFor } from './helpers/wait.ts';

// `npm run service`: configuration errors stop the start; SIGTERM stops it cleanly.

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let db: TestDatabase;

before(async () => {
  db = await testDatabase();
});
after(async () => {
  await db?.close();
});

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (c) => (output.stdout += String(c)));
  child.stderr.on('data', (c) => (output.stderr += String(c)));
  return { child, output, exited: once(child, 'exit') as Promise<[number | null, string | null]> };
}

test('a bad environment stops the start with exit code 2 and names each variable', async () => {
  const { output, exited } = run({ GRAPH_TENANT_ID: 't', PORT: 'x' });
  const [code] = await exited;
  assert.equal(code, 2);
  assert.match(output.stderr, /PORT must be a whole number/);
  assert.match(output.stderr, /GRAPH_CLIENT_ID is required/);
  assert.match(output.stderr, /SF_CLIENT_ID is required/);
});

test('SIGTERM: the service stops gracefully and exits 0', async () => {
  const { child, output, exited } = run({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    GRAPH_TENANT_ID: 't',
    GRAPH_CLIENT_ID: 'c',
    GRAPH_CLIENT_SECRET: 'graph-secret-that-must-not-be-logged',
    SF_CLIENT_ID: 'x',
    SF_AUTH_FLOW: 'client_credentials',
    SF_CLIENT_SECRET: 'sf-secret-that-must-not-be-logged',
  });
  await waitFor('the service to start', () => output.stdout.includes('service started'), 30_000);
  const url = /"url":"([^"]+)"/.exec(output.stdout)?.[1];
  assert.ok(url);
  const answer = await fetch(`${url}/graph/notifications?validationToken=ping`, { method: 'POST' });
  assert.equal(await answer.text(), 'ping');
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, output.stdout + output.stderr);
  assert.match(output.stdout, /"msg":"stopped"/);
  assert.ok(!/must-not-be-logged/.test(output.stdout + output.stderr), 'no secret in the logs');
});

test('without DATABASE_URL: embedded PostgreSQL in the data directory, stopped cleanly, reused on restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tb-main-'));
  chmodSync(dataDir, 0o755);
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    GRAPH_TENANT_ID: 't',
    GRAPH_CLIENT_ID: 'c',
    GRAPH_CLIENT_SECRET: 's',
    SF_CLIENT_ID: 'x',
    SF_AUTH_FLOW: 'client_credentials',
    SF_CLIENT_SECRET: 'y',
    SUBSCRIPTIONS_ENABLED: 'false',
  };
  try {
    for (const round of [1, 2]) {
      const { child, output, exited } = run(env);
      await waitFor(`start ${round}`, () => output.stdout.includes('service started'), 60_000);
      assert.match(output.stdout, /"embeddedDatabase":true/);
      child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0, output.stdout + output.stderr);
      assert.ok(existsSync(join(dataDir, 'postgres', 'PG_VERSION')), 'cluster kept in the data directory');
      assert.ok(!existsSync(join(dataDir, 'postgres', 'postmaster.pid')), 'PostgreSQL stopped');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
