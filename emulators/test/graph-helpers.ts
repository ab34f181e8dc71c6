/** Shared helpers for the Graph stand-in tests: tokens, a local webhook receiver, JSON fetches. */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Request, Response } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { GraphEmulator } from '../src/graph/index.ts';

export async function appToken(graph: GraphEmulator): Promise<string> {
  const response = await fetch(`${graph.authorityHost}/${graph.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: graph.clientId,
      client_secret: graph.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function userToken(graph: GraphEmulator, username = graph.demoUser.username): Promise<string> {
  const response = await fetch(`${graph.authorityHost}/${graph.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: graph.clientId,
      client_secret: graph.clientSecret,
      username,
      password: graph.demoUser.password,
      scope: 'https://graph.microsoft.com/.default offline_access',
    }),
  });
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function call(
  graph: GraphEmulator,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { error?: { code: string; message: string } };
}> {
  const response = await fetch(path.startsWith('https://') ? path : `${graph.baseUrl}/v1.0${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}

export interface Received {
  at: number;
  body: { value: Array<Record<string, unknown>>; validationTokens?: string[] };
}

/**
 * A real express webhook receiver on 127.0.0.1: answers the validation handshake as the docs require and
 * records notifications. `behaviour` can change how it answers.
 */
export async function startReceiver(
  behaviour: {
    validation?: (req: Request, res: Response) => void;
    notification?: (req: Request, res: Response, count: number) => void | Promise<void>;
  } = {},
) {
  const received: Received[] = [];
  const validations: string[] = [];
  // A unique path per receiver: a port reused after close must not collect another test's deliveries.
  const path = `/hook/${randomUUID()}`;
  const app = express();
  app.post(path, express.json(), async (req, res) => {
    const token = req.query.validationToken;
    if (typeof token === 'string') {
      validations.push(token);
      if (behaviour.validation) return behaviour.validation(req, res);
      res.type('text/plain').status(200).send(token);
      return;
    }
    received.push({ at: Date.now(), body: req.body as Received['body'] });
    if (behaviour.notification) return behaviour.notification(req, res, received.length);
    res.status(202).end();
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    validations,
    items: () => received.flatMap((r) => r.body.value),
    async waitFor(count: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.flatMap((r) => r.body.value).length < count) {
        if (Date.now() > deadline)
          throw new Error(`received ${received.length} posts, wanted ${count} items`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
