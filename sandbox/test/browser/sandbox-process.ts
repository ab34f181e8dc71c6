import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionInfo } from '../../src/connection-file.ts';

const sandboxDir = new URL('../..', import.meta.url).pathname;

export interface RunningSandbox {
  info: ConnectionInfo;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts what `npm start` runs (launcher + sandbox) in a temporary directory and waits until it is ready. */
export async function startSandbox(
  env: Record<string, string> = {},
  timeoutMs = 240_000,
): Promise<RunningSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-workbench-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as its own user and must reach the data directory
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/launch-with-stand-in-ca.ts', 'src/start.ts'],
    {
      cwd: sandboxDir,
      env: { ...process.env, SANDBOX_DIR: dir, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // SIGTERM reaches the launcher, which passes it on to the sandbox (in its own group) for a clean stop.
      process.kill(-child.pid!, 'SIGTERM');
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 20_000)),
      ]);
      if (!stopped) process.kill(-child.pid!, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!out.includes('Sandbox ready')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the sandbox did not get ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const info = JSON.parse(readFileSync(join(dir, 'connection.json'), 'utf8')) as ConnectionInfo;
  return { info, output: () => out, stop };
}
