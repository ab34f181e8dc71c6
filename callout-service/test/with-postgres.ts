/**
 * Test entry: starts one embedded PostgreSQL for the whole run (each test file creates its own database on
 * it), runs the command given as arguments with TEST_POSTGRES_ADMIN_URL set, then stops the server.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/store/database.ts';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: tsx test/with-postgres.ts <command> [args...]');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'tb-test-pg-'));
chmodSync(dir, 0o755); // run as root, PostgreSQL runs as its own user and must reach the directory
const server = await startEmbeddedPostgres({ dataDir: dir });
let code = 1;
try {
  code = await new Promise<number>((resolve) => {
    const child = spawn(command, args, {
      stdio: 'inherit',
      env: { ...process.env, TEST_POSTGRES_ADMIN_URL: server.url },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
