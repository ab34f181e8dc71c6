import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  at: number;
  ms: number;
  status: number;
  path: string;
}

/**
 * The load balancer in front of the replicas (PUBLIC_BASE_URL): round robin over the replicas that accept a
 * connection, the next one tried when one refuses. It records how long each webhook answer took as Graph
 * sees it, and can hold webhook answers back (`webhookDelayMs`) to put the endpoint in Graph's slow/drop state.
 */
export class Balancer {
  private server: Server | undefined;
  private next = 0;
  readonly answers: Answer[] = [];
  /** Why requests found no replica (first few), for the report. */
  readonly failures: string[] = [];
  webhookDelayMs = 0;
  url = '';

  constructor(private readonly targets: { port: number }[]) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const webhook = (req.url ?? '').startsWith('/graph/');
    if (webhook && this.webhookDelayMs > 0) await new Promise((r) => setTimeout(r, this.webhookDelayMs));
    let answer:
      { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer } | undefined;
    const first = this.next++;
    for (let i = 0; i < this.targets.length && !answer; i++) {
      const target = this.targets[(first + i) % this.targets.length]!;
      answer = await forward(target.port, req, body).catch((err: Error) => {
        if (i === this.targets.length - 1 && this.failures.length < 10)
          this.failures.push(
            `${new Date().toISOString()} ${req.method} ${req.url?.slice(0, 40)} -> ${target.port}: ${err.message}`,
          );
        return undefined;
      });
    }
    const status = answer?.status ?? 502;
    if (webhook) this.answers.push({ at: started, ms: Date.now() - started, status, path: req.url ?? '' });
    if (!answer) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('no replica answered');
      return;
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }
}

function forward(
  port: number,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const out = request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'content-length': String(body.length) },
        timeout: 30_000,
      },
      (upstream) => {
        const parts: Buffer[] = [];
        upstream.on('data', (c: Buffer) => parts.push(c));
        upstream.on('end', () => {
          const headers = { ...upstream.headers };
          delete headers['transfer-encoding'];
          delete headers.connection;
          resolve({ status: upstream.statusCode ?? 502, headers, body: Buffer.concat(parts) });
        });
        upstream.on('error', reject);
      },
    );
    out.on('timeout', () => out.destroy(new Error('replica timed out')));
    out.on('error', reject);
    out.end(body);
  });
}
