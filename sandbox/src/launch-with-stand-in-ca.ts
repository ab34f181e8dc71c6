/**
 * Starts a TypeScript entry point (`npm start`: the sandbox; `npm run bench:inbound`: the benchmark) in a
 * child Node process that trusts the Graph stand-in's certificate authority. NODE_EXTRA_CA_CERTS is read only
 * when a process starts, hence this small launcher: it makes sure the CA exists (ensure-ca), then starts the
 * child with the variable set.
 *
 * The child runs in its own process group: Ctrl-C in the terminal reaches this launcher only, which passes
 * SIGINT on to the child alone. Otherwise the embedded PostgreSQL server, a grandchild in the same group, would
 * get the SIGINT too and shut down underneath the service's graceful stop.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ensureTls } from '@teams-bridge/emulators/graph/ensure-ca.ts';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node --import tsx src/launch-with-stand-in-ca.ts <entry.ts> [args...]\n');
  process.exit(2);
}
const tls = await ensureTls();
const child = spawn(process.execPath, ['--import', 'tsx', resolve(entry), ...args], {
  stdio: 'inherit',
  detached: true,
  env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caFile },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
