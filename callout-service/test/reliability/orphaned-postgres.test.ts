import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/store/database.ts';
import { describeThrown } from '../../src/ops/describe-thrown.ts';
import { postmasterPid } from '../../src/store/orphaned-postgres.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('after SIGKILL of its service, the orphaned embedded PostgreSQL is stopped and the next start takes over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-orphan-'));
  chmodSync(dir, 0o755);
  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(here, '../fixtures/embedded-postgres-holder.ts'), dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((ready, fail) => {
      child.stdout.on('data', (chunk: Buffer) => String(chunk).includes('READY') && ready());
      child.on('exit', (code) => fail(new Error(`holder exited with ${code}`)));
    });
    const orphan = postmasterPid(join(dir, 'postgres'));
    assert.ok(orphan && alive(orphan), 'the holder runs PostgreSQL');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.ok(alive(orphan), 'PostgreSQL outlives its killed service');

    const server = await startEmbeddedPostgres({ dataDir: dir });
    try {
      assert.equal(alive(orphan), false, 'the orphan was stopped');
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);
      await client.end();
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the start error handler prints the cause of anything thrown, even undefined', () => {
  assert.match(describeThrown(undefined), /undefined was thrown/);
  assert.match(describeThrown('lock file exists'), /lock file exists/);
  assert.match(describeThrown({ code: 'E1' }), /E1/);
  const wrapped = new Error('start failed', { cause: new Error('postmaster.pid held') });
  assert.match(describeThrown(wrapped), /start failed[\s\S]*caused by: Error: postmaster.pid held/);
  // The service's own entry point, failing on purpose (a config is valid, the database URL is not reachable):
  // the message names the cause instead of crashing in the handler.
  const run = spawnSync(process.execPath, ['--import', 'tsx', resolve(here, '../../src/main.ts')], {
    env: { ...process.env, ...minimalEnv() },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /failed to start: /);
  assert.doesNotMatch(run.stderr, /reading 'stack'/);
});

function minimalEnv(): Record<string, string> {
  return {
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
    GRAPH_TENANT_ID: '00000000-0000-0000-0000-000000000001',
    GRAPH_CLIENT_ID: '00000000-0000-0000-0000-000000000002',
    GRAPH_CLIENT_SECRET: 'x',
    SF_CLIENT_ID: 'x',
    SF_AUTH_FLOW: 'client_credentials',
    SF_CLIENT_SECRET: 'x',
  };
}
