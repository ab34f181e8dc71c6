import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.ts';

/**
 * A service killed with SIGKILL leaves its embedded PostgreSQL running: the postmaster holds the data directory
 * (postmaster.pid) and the next start fails ("lock file already exists"). Before starting, the server named in
 * postmaster.pid is looked at: gone (a stale file) is left to PostgreSQL; alive with a live service as its
 * parent is refused (two services on one DATA_DIR); alive and orphaned is stopped (fast shutdown: SIGINT,
 * then SIGQUIT) so this start can take the data directory over.
 */
export class DataDirInUseError extends Error {
  constructor(pid: number, parentPid: number) {
    super(
      `The embedded PostgreSQL in DATA_DIR is in use by a running service (postgres pid ${pid}, started by pid ${parentPid}). ` +
        'Stop that service, or give this one its own DATA_DIR or a DATABASE_URL.',
    );
    this.name = 'DataDirInUseError';
  }
}

export function postmasterPid(databaseDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The parent pid from /proc/<pid>/stat (the field after the parenthesised command name). */
function parentOf(pid: number): number | undefined {
  const stat = readProc(pid, 'stat');
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

const isPostgres = (pid: number) => /postgres/.test(readProc(pid, 'cmdline') ?? '');
const isNode = (pid: number) => /node|tsx/.test(readProc(pid, 'cmdline') ?? '');

/** Returns what was done; throws DataDirInUseError when a live service owns the server. */
export async function releaseOrphanedPostgres(
  databaseDir: string,
  logger?: Logger,
  waitMs = 30_000,
): Promise<'none' | 'stale' | 'stopped'> {
  const pid = postmasterPid(databaseDir);
  if (pid === undefined) return 'none';
  if (!alive(pid) || !isPostgres(pid)) return 'stale';
  const parent = parentOf(pid);
  if (parent !== undefined && parent > 1 && parent !== process.pid && alive(parent) && isNode(parent)) {
    throw new DataDirInUseError(pid, parent);
  }
  logger?.warn({ pid }, 'an orphaned embedded PostgreSQL holds the data directory: stopping it');
  const deadline = Date.now() + waitMs;
  process.kill(pid, 'SIGINT');
  let escalated = false;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`the orphaned PostgreSQL (pid ${pid}) did not stop`);
    if (!escalated && Date.now() > deadline - waitMs / 2) {
      process.kill(pid, 'SIGQUIT');
      escalated = true;
    }
    await sleep(100);
  }
  return 'stopped';
}
