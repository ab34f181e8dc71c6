/**
 * The reference the inbound benchmark compares the webhook with: a bare express handler that answers 202
 * after one PostgreSQL insert of the request body (no validation, no clientState check, no queue). Run by
 * bench/inbound.ts as a child process, like the service, with PORT and DATABASE_URL; prints READY when up.
 */
import express from 'express';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
await pool.query(
  'CREATE TABLE IF NOT EXISTS baseline_notifications (id bigserial PRIMARY KEY, body jsonb NOT NULL)',
);
const app = express();
app.post('/graph/notifications', express.json({ limit: '1mb' }), async (req, res) => {
  await pool.query('INSERT INTO baseline_notifications (body) VALUES ($1)', [JSON.stringify(req.body)]);
  res.status(202).end();
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('READY\n'));
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
