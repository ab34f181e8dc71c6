/**
 * PostgreSQL as a process of its own, so the chaos run can stop it and start it again: starts the embedded
 * server on the data directory and port given as arguments (initialising it on first use), creates the
 * `chaos` database, prints `READY <url>`, and stops the server on SIGTERM.
 */
import { startEmbeddedPostgres } from '../../callout-service/src/store/database.ts';

const [dataDir, port] = process.argv.slice(2);
const server = await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port) });
const url = await server.createDatabase('chaos');
process.stdout.write(`READY ${url}\n`);
let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
setInterval(() => {}, 60_000);
