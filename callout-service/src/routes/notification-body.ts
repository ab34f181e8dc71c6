import type { Request, Response } from 'express';
import type { z } from 'zod';
import { notificationBodySchema } from '../graph/notifications.ts';

export type NotificationBody = z.infer<typeof notificationBodySchema>;

/**
 * Checks a parsed webhook body against Graph's notification-collection shape. On a mismatch it answers 400
 * naming the first wrong field and returns undefined; the caller stops there.
 */
export function readNotificationBody(
  req: Request,
  res: Response,
  what: string,
): NotificationBody | undefined {
  const parsed = notificationBodySchema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  res.status(400).json({
    error: {
      code: 'invalid_notification',
      message: `not a ${what} collection: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim(),
    },
  });
  return undefined;
}
