/**
 * POST /v1/conversation/reply: a rep's reply typed on the record page, posted into the channel thread by the
 * bot (or, in a `graph` channel, the service account) and attributed to the Salesforce user by name. Idempotent on the component's `idempotencyKey`: a repeat
 * gets the first answer back, never a second message.
 */
import { Router } from 'express';
import { z } from 'zod';
import { channelPosting } from '../../outbound/channel-posting.ts';
import { replyAsServiceAccount } from '../../outbound/graph-delegated/reply.ts';
import { getInstallation } from '../../outbound/installations.ts';
import { classifySendError } from '../../outbound/post-errors.ts';
import type { Outbound } from '../../outbound/start-outbound.ts';
import { messageLink } from '../../outbound/targets.ts';
import type { Pool } from '../../store/database.ts';

const replySchema = z.object({
  teamId: z.string().min(1, 'teamId is required'),
  channelId: z
    .string()
    .regex(/^19:[^\s]+$/, 'channelId must be a Teams channel id such as 19:...@thread.tacv2'),
  messageId: z.string().regex(/^\d+$/, 'messageId must be the Teams message id of the thread').nullish(),
  text: z
    .string()
    .min(1, 'text must not be empty')
    .max(4000, 'text must be at most 4,000 characters')
    .refine((t) => !t.includes('\u0000'), 'text must not contain NUL characters'),
  senderEmail: z.string().min(3, 'senderEmail is required'),
  senderName: z.string().max(121).nullish(),
  // Optional so a caller from before the key existed still works; without it a repeat posts again.
  idempotencyKey: z.string().min(8, 'idempotencyKey must be at least 8 characters').max(255).nullish(),
});

const escapeMarkdown = (text: string) => text.replace(/[\\*_`[\]#>~|]/g, (c) => `\\${c}`);

export function replyRouter(deps: { pool: Pool; outbound: Outbound }): Router {
  const router = Router();
  router.post('/conversation/reply', async (req, res, next) => {
    const parsed = replySchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      res.status(400).json({
        error: {
          code: 'invalid_reply',
          message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'} (expected { "teamId", "channelId", "messageId"?, "text", "senderEmail", "senderName"?, "idempotencyKey"? })`,
        },
      });
      return;
    }
    const r = parsed.data;
    try {
      const key = r.idempotencyKey ?? null;
      if (key) {
        const claimed = await deps.pool.query(
          `INSERT INTO conversation_replies (idempotency_key, team_id, channel_id) VALUES ($1, $2, $3)
           ON CONFLICT (idempotency_key) DO NOTHING`,
          [r.idempotencyKey, r.teamId, r.channelId],
        );
        if (claimed.rowCount === 0) {
          const { rows } = await deps.pool.query<{ message_id: string | null; web_url: string | null }>(
            'SELECT message_id, web_url FROM conversation_replies WHERE idempotency_key = $1',
            [r.idempotencyKey],
          );
          if (rows[0]?.message_id) {
            res.status(200).json({ id: rows[0].message_id, webUrl: rows[0].web_url, duplicate: true });
          } else {
            res.status(409).json({
              error: {
                code: 'reply_in_progress',
                message:
                  'a reply with this idempotencyKey is being posted: refresh the conversation in a moment',
              },
            });
          }
          return;
        }
      }
      const release = () =>
        deps.pool.query(
          'DELETE FROM conversation_replies WHERE idempotency_key = $1 AND message_id IS NULL',
          [r.idempotencyKey],
        );
      const posting = await channelPosting(deps.pool, deps.outbound.config, r).catch(async (err: unknown) => {
        await release();
        throw err;
      });
      if (posting.mode === 'graph') {
        const result = await replyAsServiceAccount(
          {
            serviceAccount: deps.outbound.serviceAccount,
            limiter: deps.outbound.limiter,
            config: deps.outbound.config,
            graphBaseUrl: deps.outbound.graphBaseUrl,
            tenantId: deps.outbound.tenantId,
          },
          { ...r, senderName: r.senderName?.trim() || r.senderEmail },
        );
        if (!result.ok) {
          await release();
          if (result.retryAfterSeconds) res.setHeader('Retry-After', String(result.retryAfterSeconds));
          res.status(result.status).json({ error: { code: result.code, message: result.message } });
          return;
        }
        const webUrl = messageLink(deps.outbound.tenantId, r.teamId, r.channelId, r.messageId ?? result.id);
        await deps.pool.query(
          'UPDATE conversation_replies SET message_id = $2, web_url = $3 WHERE idempotency_key = $1',
          [r.idempotencyKey, result.id, webUrl],
        );
        res.status(201).json({ id: result.id, webUrl });
        return;
      }
      const installation = await getInstallation(deps.pool, r.teamId);
      if (!installation?.installed) {
        await release();
        res.status(409).json({
          error: {
            code: 'app_not_installed',
            message: `the Teams app is not installed in team ${r.teamId}: a team owner must add it before replies can be posted`,
          },
        });
        return;
      }
      // A person is waiting: wait up to a few seconds for a posting slot before answering 429.
      const scopes = [
        { key: `thread:${r.channelId}`, windows: deps.outbound.config.limits.perThread },
        { key: `app:${installation.tenantId ?? 'tenant'}`, windows: deps.outbound.config.limits.perApp },
      ];
      let slot = await deps.outbound.limiter.acquire(scopes);
      for (let waited = 0; !slot.ok && waited + slot.waitMs <= 5000;) {
        await new Promise((resolve) => setTimeout(resolve, slot.ok ? 0 : slot.waitMs));
        waited += slot.ok ? 0 : slot.waitMs;
        slot = await deps.outbound.limiter.acquire(scopes);
      }
      if (!slot.ok) {
        await release();
        res.setHeader('Retry-After', String(Math.ceil(slot.waitMs / 1000)));
        res
          .status(429)
          .json({ error: { code: 'throttled', message: 'Teams posting limit reached: try again shortly' } });
        return;
      }
      const name = r.senderName?.trim() || r.senderEmail;
      let id: string;
      try {
        id = await deps.outbound.bot.send(
          installation.serviceUrl,
          r.channelId,
          { text: `**${escapeMarkdown(name)}** (from Salesforce): ${escapeMarkdown(r.text)}` },
          r.messageId ?? undefined,
        );
      } catch (err) {
        await release();
        const outcome = classifySendError(err);
        const status = outcome.kind === 'throttled' ? 429 : outcome.kind === 'retry' ? 502 : 409;
        res.status(status).json({
          error: {
            code: 'teams_refused',
            message: 'message' in outcome ? outcome.message : 'Teams is throttling posts',
          },
        });
        return;
      }
      const webUrl = messageLink(installation.tenantId ?? '', r.teamId, r.channelId, r.messageId ?? id);
      await deps.pool.query(
        'UPDATE conversation_replies SET message_id = $2, web_url = $3 WHERE idempotency_key = $1',
        [r.idempotencyKey, id, webUrl],
      );
      res.status(201).json({ id, webUrl });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
