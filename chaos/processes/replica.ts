import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SERVICE_NODE_ARGS } from '../../callout-service/src/ops/node-args.ts';

/**
 * One service replica as a child process on a fixed loopback port (so a restart keeps its address behind
 * the balancer). Its log output is counted, not kept, apart from the tail for error messages.
 */
export class Replica {
  private child: ChildProcess | undefined;
  logBytes = 0;
  private tail = '';
  readonly url: string;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly repoRoot: string,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(
      process.execPath,
      [...SERVICE_NODE_ARGS, join(this.repoRoot, 'callout-service/src/main.ts')],
      {
        cwd: join(this.repoRoot, 'callout-service'),
        env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const count = (chunk: Buffer) => {
      this.logBytes += chunk.length;
      this.tail = (this.tail + String(chunk)).slice(-4000);
    };
    child.stdout!.on('data', count);
    child.stderr!.on('data', count);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`replica ${this.name} exited at start:\n${this.tail}`);
      const ok = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`replica ${this.name} did not answer:\n${this.tail}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** kill -9: no cleanup at all. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM and the exit code (null: killed by a signal, or no exit within the timeout). */
  async terminate(timeoutMs = 30_000): Promise<number | null> {
    const child = this.child;
    if (!child || !this.alive) return null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  lastLog(): string {
    return this.tail;
  }
}
