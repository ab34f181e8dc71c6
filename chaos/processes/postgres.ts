import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The chaos run's PostgreSQL: one data directory and port, stopped and started as a child process. */
export class PostgresProcess {
  private child: ChildProcess | undefined;
  url = '';

  constructor(
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  get running(): boolean {
    return !!this.child && this.child.exitCode === null;
  }

  async start(): Promise<string> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'postgres-server.ts'), this.dataDir, String(this.port)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let output = '';
    this.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start:\n${output}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output += String(chunk);
        const ready = /READY (\S+)/.exec(output);
        if (ready) {
          clearTimeout(timer);
          resolve(ready[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (output = (output + String(chunk)).slice(-4000)));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL exited with ${code}:\n${output}`));
      });
    });
    return this.url;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}
