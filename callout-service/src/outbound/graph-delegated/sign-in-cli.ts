/**
 * `npm run service-account:sign-in`: signs the Graph service account in once with a device code (the
 * `graph` posting mode). Uses the service's environment; with the embedded PostgreSQL (no DATABASE_URL)
 * run it while the service is stopped.
 */
import { ConfigError, loadConfig } from '../../config.ts';
import { createLogger } from '../../logger.ts';
import { loadOutboundConfig, OutboundConfigError } from '../outbound-config.ts';
import { runSignIn } from './sign-in.ts';

try {
  const config = loadConfig();
  const ok = await runSignIn({
    config,
    outbound: loadOutboundConfig(process.env),
    logger: createLogger('warn'),
    write: (line) => process.stdout.write(`${line}\n`),
  });
  process.exit(ok ? 0 : 1);
} catch (err) {
  if (err instanceof ConfigError || err instanceof OutboundConfigError) {
    process.stdout.write(`Configuration:\n${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
