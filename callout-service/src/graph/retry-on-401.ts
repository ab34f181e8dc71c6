import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * Graph middleware placed before the AuthenticationHandler: a 401 answer drops the cached token and the
 * request is sent once more with a fresh one. A second 401 is Graph's real answer (no consent, wrong tenant)
 * and goes back to the caller.
 */
export class RetryOn401Handler implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly renew: () => void) {}

  async execute(context: Context): Promise<void> {
    await this.next!.execute(context);
    if (context.response?.status !== 401) return;
    this.renew();
    context.response = undefined;
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
