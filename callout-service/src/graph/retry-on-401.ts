import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * Graph middleware placed before the AuthenticationHandler: a 401 answer drops the cached token and the
 * request is sent once more with a fresh one. A second 401 is Graph's real answer (no consent, wrong tenant)
 * and goes back to the caller. The refused token is taken off the request first: the AuthenticationHandler
 * appends its header, so the repeated call would otherwise carry `Bearer <refused>, Bearer <fresh>`.
 */
export class RetryOn401Handler implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly renew: () => void) {}

  async execute(context: Context): Promise<void> {
    await this.next!.execute(context);
    if (context.response?.status !== 401) return;
    this.renew();
    dropAuthorization(context);
    context.response = undefined;
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function dropAuthorization(context: Context): void {
  if (typeof Request !== 'undefined' && context.request instanceof Request) {
    context.request.headers.delete('Authorization');
  }
  const headers = context.options?.headers;
  if (!headers) return;
  if (headers instanceof Headers) headers.delete('Authorization');
  else if (Array.isArray(headers)) {
    context.options!.headers = headers.filter(([name]) => name.toLowerCase() !== 'authorization');
  } else {
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'authorization') delete (headers as Record<string, string>)[name];
    }
  }
}
