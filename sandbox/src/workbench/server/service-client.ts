import { signedHeaders } from '@teams-bridge/callout-service/src/routes/v1/signature.ts';

/** A non-2xx answer of the service, as the Apex `TeamsBridgeServiceClient.ServiceException` carries it. */
export class ServiceError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** The service could not be reached (Apex: `CalloutException`). */
export class CalloutError extends Error {}

/**
 * What the Apex `TeamsBridgeServiceClient` does through the Named Credential: signed JSON requests to the
 * service's `/v1` API; a failed answer becomes an error carrying the service's `error.message`.
 */
export class ServiceClient {
  constructor(
    private readonly baseUrl: string,
    private readonly signingSecret: string,
  ) {}

  get(path: string): Promise<unknown> {
    return this.send('GET', path, undefined);
  }

  post(path: string, payload: unknown): Promise<unknown> {
    return this.send('POST', path, payload === null || payload === undefined ? '' : JSON.stringify(payload));
  }

  private async send(method: string, path: string, body: string | undefined): Promise<unknown> {
    if (!path.startsWith('/v1/')) throw new Error(`Service paths start with /v1/, got: ${path}`);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...signedHeaders(this.signingSecret, body ?? ''),
          ...(body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        },
        body,
        signal: AbortSignal.timeout(20_000),
      });
    } catch (err) {
      throw new CalloutError((err as Error).cause ? String((err as Error).cause) : (err as Error).message);
    }
    const text = await response.text();
    if (!response.ok) {
      let message = `The Teams Bridge service answered HTTP ${response.status}.`;
      let code: string | null = null;
      try {
        const parsed = text ? (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }) : null;
        if (parsed?.error) {
          code = parsed.error.code === undefined ? null : String(parsed.error.code);
          if (typeof parsed.error.message === 'string' && parsed.error.message.trim())
            message = parsed.error.message;
        }
      } catch {
        message += ' The answer was not JSON.';
      }
      throw new ServiceError(response.status, code, message);
    }
    return text.trim() ? JSON.parse(text) : null;
  }
}
