import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/store/database.ts';

/**
 * A fresh database for one test file. The test script starts one embedded PostgreSQL for the whole run and
 * passes its admin URL in TEST_POSTGRES_ADMIN_URL; a file run on its own starts its own server.
 */
export interface TestDatabase {
  url: string;
  /** Another fresh database on the same server. */
  another(): Promise<string>;
  close(): Promise<void>;
}

async function createDatabase(adminUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function testDatabase(): Promise<TestDatabase> {
  const shared = process.env.TEST_POSTGRES_ADMIN_URL;
  if (shared) {
    return {
      url: await createDatabase(shared),
      another: () => createDatabase(shared),
      close: async () => {},
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'tb-pg-'));
  chmodSync(dir, 0o755); // run as root, PostgreSQL runs as its own user and must reach the directory
  let server: EmbeddedDatabase | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir: dir });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const admin = server.url;
  return {
    url: await createDatabase(admin),
    another: () => createDatabase(admin),
    async close() {
      await server!.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
