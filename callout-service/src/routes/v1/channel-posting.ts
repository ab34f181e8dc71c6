/**
 * PUT /v1/channel-posting: how a linked channel is posted to, set from the admin page: `bot` (the default
 * unless OUTBOUND_DEFAULT_MODE says otherwise), `graph` (as the delegated service account) or `workflows`
 * with the channel's Teams Workflows webhook URL, sealed at rest and never returned or logged. Workflows cannot post in private channels, so those are refused.
 * GET answers the mode and whether a URL is set.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { GraphAdapter } from '../../graph/client.ts';
import { channelPosting, setChannelPosting } from '../../outbound/channel-posting.ts';
import type { OutboundConfig } from '../../outbound/outbound-config.ts';
import type { Pool } from '../../store/database.ts';

const channelId = z
  .string()
  .regex(/^19:[^\s]+$/, 'channelId must be a Teams channel id such as 19:...@thread.tacv2');

const postingSchema = z.discriminatedUnion('mode', [
  z.object({ teamId: z.string().min(1, 'teamId is required'), channelId, mode: z.literal('bot') }),
  z.object({ teamId: z.string().min(1, 'teamId is required'), channelId, mode: z.literal('graph') }),
  z.object({
    teamId: z.string().min(1, 'teamId is required'),
    channelId,
    mode: z.literal('workflows'),
    webhookUrl: z
      .string()
      .max(2048, 'webhookUrl must be at most 2,048 characters')
      .refine((u) => URL.canParse(u) && new URL(u).protocol === 'https:', 'webhookUrl must be an https URL'),
  }),
]);

const invalid = (res: Response, message: string) =>
  res.status(400).json({ error: { code: 'invalid_channel_posting', message } });

export function channelPostingRouter(deps: {
  pool: Pool;
  graph: GraphAdapter;
  config: OutboundConfig;
}): Router {
  const router = Router();
  router.put('/channel-posting', async (req, res, next) => {
    const parsed = postingSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return invalid(
        res,
        `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'} (expected { "teamId", "channelId", "mode": "bot" | "graph" | "workflows", "webhookUrl" (workflows) })`,
      );
    }
    const p = parsed.data;
    try {
      if (p.mode === 'graph' && !deps.config.secretBox) {
        return res.status(409).json({
          error: {
            code: 'secret_key_missing',
            message:
              'set OUTBOUND_SECRET_KEY on the service before posting as the Graph service account (it seals the token cache)',
          },
        });
      }
      if (p.mode === 'workflows') {
        if (!deps.config.secretBox) {
          return res.status(409).json({
            error: {
              code: 'secret_key_missing',
              message: 'set OUTBOUND_SECRET_KEY on the service before configuring a Workflows webhook',
            },
          });
        }
        const channel = (await deps.graph.client
          .api(`/teams/${encodeURIComponent(p.teamId)}/channels/${encodeURIComponent(p.channelId)}`)
          .select('id,membershipType')
          .get()) as { membershipType?: string };
        if (channel.membershipType === 'private') {
          return invalid(res, 'Workflows cannot post in a private channel: use the bot for this channel');
        }
      }
      await setChannelPosting(
        deps.pool,
        deps.config.secretBox,
        p,
        p.mode === 'workflows' ? { mode: 'workflows', webhookUrl: p.webhookUrl } : { mode: p.mode },
      );
      res.json({ teamId: p.teamId, channelId: p.channelId, mode: p.mode });
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404) return invalid(res, `channel ${p.channelId} was not found in team ${p.teamId}`);
      next(err);
    }
  });
  router.get('/channel-posting', async (req, res, next) => {
    const teamId = String(req.query.teamId ?? '');
    const channel = channelId.safeParse(req.query.channelId);
    if (!teamId || !channel.success) return invalid(res, 'teamId and channelId (19:...) are required');
    try {
      const posting = await channelPosting(deps.pool, deps.config, { teamId, channelId: channel.data });
      res.json({
        teamId,
        channelId: channel.data,
        mode: posting.mode,
        webhookUrlSet: posting.mode === 'workflows' && !!posting.webhookUrl,
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
