import type { Request } from 'express';

/** A route parameter as a string ('' when absent). */
export const param = (req: Request, name: string): string => String(req.params[name] ?? '');
