/** Wraps async express handlers so that thrown errors reach the error handler (express 4 does not). */
import type { NextFunction, Request, Response } from 'express';

export const route =
  (handler: (req: Request, res: Response) => unknown) =>
  (req: Request, res: Response, next: NextFunction): void => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(next);
  };

export const param = (req: Request, name: string): string => String(req.params[name] ?? '');
