/** Error bodies shaped as Microsoft Graph and Entra ID send them. */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendGraphError(req: Request, res: Response, error: GraphError): void {
  const requestId = String(res.getHeader('request-id') ?? randomUUID());
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).json({
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': req.header('client-request-id') ?? requestId,
      },
    },
  });
}

export const notFound = (what: string) =>
  new GraphError(
    404,
    'NotFound',
    `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const badRequest = (message: string, code = 'BadRequest') => new GraphError(400, code, message);

/** An OAuth error from the v2.0 token endpoint, with the AADSTS code in the description as Entra ID does. */
export class TokenError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
    /** Entra's hint on what the user must do (`basic_action`, `message_only`...); MSAL reads it. */
    readonly suberror?: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }

  body() {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z';
    return {
      error: this.error,
      error_description: `AADSTS${this.aadsts}: ${this.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadsts}`,
      ...(this.suberror ? { suberror: this.suberror } : {}),
    };
  }
}
