/**
 * The sign-in the CLI runs: the device code flow for the service account, the token cache sealed into
 * PostgreSQL, then the items that waited for the account are put back. Prints Entra's prompt and the
 * account's name, never a token.
 */
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { openDatabase } from '../../store/database.ts';
import { migrate } from '../../store/migrations.ts';
import type { OutboundConfig } from '../outbound-config.ts';
import { createServiceAccount } from '../start-outbound.ts';
import { classifySignInFailure } from './sign-in-failure.ts';

export async function runSignIn(options: {
  config: Config;
  outbound: OutboundConfig;
  logger: Logger;
  write: (line: string) => void;
}): Promise<boolean> {
  const { config, outbound, write } = options;
  if (!outbound.secretBox) {
    write('OUTBOUND_SECRET_KEY is not set: it seals the token cache at rest (openssl rand -base64 32).');
    return false;
  }
  const db = await openDatabase({
    url: config.database.url,
    dataDir: config.database.dataDir,
    embeddedPort: config.database.embeddedPort,
    logger: options.logger,
    poolSize: 2,
  });
  try {
    await migrate(db.pool);
    const account = createServiceAccount(outbound, config.graph, db.pool)!;
    write('Sign in as the Teams Bridge service account (a member of every team it posts to).');
    let username: string;
    try {
      ({ username } = await account.signIn((message) => write(message)));
    } catch (err) {
      const failure = classifySignInFailure(err);
      write(
        `Sign-in failed (${failure.code}). ${failure.kind === 'transient' ? failure.reason : 'Entra ID refused it: check that the app registration allows public client flows and has consent for ChannelMessage.Send, and that no Conditional Access policy blocks the account.'}`,
      );
      return false;
    }
    const woken = await account.wakeWaitingItems();
    write(`Signed in as ${username}; the token cache is stored encrypted in PostgreSQL.`);
    if (woken > 0) write(`${woken} waiting outbound item(s) will be posted now.`);
    return true;
  } finally {
    await db.close();
  }
}
