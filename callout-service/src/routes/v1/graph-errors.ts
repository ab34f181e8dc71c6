import type { NextFunction, Response } from 'express';
import { graphStatus } from '../../graph/client.ts';

/** A Graph failure as the API answers it: what went wrong and, for 403/404/409/429, what to do. */
export function graphFailure(
  res: Response,
  next: NextFunction,
  err: unknown,
  doing: string,
  permission: string,
): void {
  const status = graphStatus(err);
  const detail = String((err as Error)?.message ?? '')
    .split('\n')[0]!
    .slice(0, 200);
  if (status === 403) {
    res.status(502).json({
      error: {
        code: 'graph_forbidden',
        message: `Microsoft Graph refused ${doing}: grant admin consent for ${permission} to the Teams Bridge app registration (${detail}).`,
      },
    });
  } else if (status === 404) {
    res
      .status(404)
      .json({ error: { code: 'not_found', message: `Microsoft Graph found nothing when ${doing}.` } });
  } else if (status === 400 || status === 409) {
    res
      .status(status)
      .json({ error: { code: 'graph_rejected', message: `Microsoft Graph rejected ${doing}: ${detail}` } });
  } else if (status === 429 || status === 503) {
    res
      .status(503)
      .set('Retry-After', '30')
      .json({
        error: {
          code: 'graph_throttled',
          message: `Microsoft Graph is throttling ${doing}: try again in a minute.`,
        },
      });
  } else if (status !== undefined) {
    res
      .status(502)
      .json({ error: { code: 'graph_error', message: `Microsoft Graph failed ${doing} (${status}).` } });
  } else {
    next(err);
  }
}
