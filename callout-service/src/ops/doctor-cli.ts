/**
 * `npm run doctor -w callout-service`: checks every credential and Graph permission with the environment the
 * service would run with, prints the fix for each failure, exits 1 when something fails.
 */
import { ConfigError, loadConfig } from '../config.ts';
import { formatDoctor, runDoctor } from './doctor.ts';

try {
  const results = await runDoctor(loadConfig());
  process.stdout.write(formatDoctor(results));
  process.exit(results.every((r) => r.ok) ? 0 : 1);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stdout.write(`FAIL  Configuration:\n${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
