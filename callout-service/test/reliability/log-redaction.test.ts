import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pg from 'pg';
import { createLogger } from '../../src/logger.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';

let db: TestDatabase;
let pool: pg.Pool;
before(async () => {
  db = await testDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
});
after(async () => {
  await pool?.end();
  await db?.close();
});

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('debug', stream) };
}

test("PostgreSQL errors' detail and where (which quote the data) never reach the log", async () => {
  const { lines, logger } = capture();
  const content = 'Contoso will sign at 1.2M if legal agrees';
  // What a NUL in a message did before it was replaced: jsonb refuses the escape and quotes the JSON.
  const err = await pool.query('SELECT $1::jsonb', [`{"content": "${content} \\u0000"}`]).then(
    () => undefined,
    (e: unknown) => e as pg.DatabaseError,
  );
  assert.ok(err, 'PostgreSQL refused the value');
  assert.ok(`${err.detail ?? ''}${err.where ?? ''}`.includes('Contoso'), 'the error itself quotes the data');
  logger.error({ err }, 'job insert failed');

  // A unique violation quotes the key's value in detail.
  await pool.query('CREATE TEMP TABLE t (k text PRIMARY KEY)');
  await pool.query('INSERT INTO t VALUES ($1)', [content]);
  const dup = await pool.query('INSERT INTO t VALUES ($1)', [content]).then(
    () => undefined,
    (e: unknown) => e as pg.DatabaseError,
  );
  assert.ok(dup?.detail?.includes('Contoso'));
  logger.warn({ err: dup }, 'claim failed');
  logger.warn({ err: new Error('wrapped', { cause: dup }) }, 'wrapped claim failed');

  const out = lines.join('');
  assert.equal(out.includes('Contoso'), false, out);
  assert.match(out, /\[redacted\]/);
  assert.match(out, /22P02|23505/, 'the error code stays, for the on-call engineer');
});
