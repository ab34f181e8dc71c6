import type { NextFunction, Request, Response } from 'express';

/**
 * Graph's endpoint validation: a POST with `?validationToken=...` must get the token back unchanged as
 * text/plain within 10 s. Requests without the parameter go on to the notification handler.
 */
export function echoValidationToken(req: Request, res: Response, next: NextFunction): void {
  const token = req.query.validationToken;
  if (token === undefined) return next();
  if (typeof token !== 'string') {
    res
      .status(400)
      .json({ error: { code: 'bad_request', message: 'validationToken must be a single string' } });
    return;
  }
  res.status(200).type('text/plain').set('X-Content-Type-Options', 'nosniff').send(token);
}
