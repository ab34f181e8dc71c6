import { Router } from 'express';
import { z } from 'zod';
import type { GraphAdapter } from '../../graph/client.ts';
import { graphFailure } from './graph-errors.ts';

interface GraphTeam {
  id: string;
  displayName?: string | null;
}
interface GraphChannel {
  id: string;
  displayName?: string | null;
  webUrl?: string | null;
  membershipType?: string | null;
}

const channelView = (c: GraphChannel) => ({
  id: c.id,
  displayName: c.displayName ?? '',
  webUrl: c.webUrl ?? null,
  membershipType: c.membershipType ?? 'standard',
});

const newChannel = z.object({
  displayName: z
    .string({ error: 'displayName is required' })
    .trim()
    .min(1, 'displayName must not be empty')
    .max(50, 'displayName must be at most 50 characters (a Teams limit)')
    .refine(
      (v) => !/[~#%&*{}+/\\:<>?|'".]/.test(v),
      'displayName must not contain ~ # % & * { } + / \\ : < > ? | \' " .',
    ),
  description: z.string().max(1024, 'description must be at most 1024 characters').optional(),
});

/** Teams and channels for the channel-linking component, read (and created) with the app's permissions. */
export function teamsRouter(deps: { graph: GraphAdapter }): Router {
  const router = Router();
  const client = deps.graph.client;

  router.get('/teams', async (_req, res, next) => {
    try {
      const teams: GraphTeam[] = [];
      let page = (await client.api('/teams').select(['id', 'displayName']).get()) as {
        value: GraphTeam[];
        '@odata.nextLink'?: string;
      };
      teams.push(...page.value);
      while (page['@odata.nextLink'] && teams.length < 2000) {
        page = (await client.api(page['@odata.nextLink']).get()) as typeof page;
        teams.push(...page.value);
      }
      res.json({ teams: teams.map((t) => ({ id: t.id, displayName: t.displayName ?? '' })) });
    } catch (err) {
      graphFailure(res, next, err, 'listing teams', 'Team.ReadBasic.All');
    }
  });

  router.get('/teams/:teamId/channels', async (req, res, next) => {
    try {
      const page = (await client.api(`/teams/${encodeURIComponent(req.params.teamId)}/channels`).get()) as {
        value: GraphChannel[];
      };
      res.json({ channels: page.value.map(channelView) });
    } catch (err) {
      graphFailure(
        res,
        next,
        err,
        `listing the channels of team ${req.params.teamId}`,
        'Channel.ReadBasic.All',
      );
    }
  });

  router.post('/teams/:teamId/channels', async (req, res, next) => {
    const parsed = newChannel.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({
        error: { code: 'invalid_channel', message: parsed.error.issues.map((i) => i.message).join('; ') },
      });
      return;
    }
    try {
      const created = (await client.api(`/teams/${encodeURIComponent(req.params.teamId)}/channels`).post({
        displayName: parsed.data.displayName,
        description: parsed.data.description,
        membershipType: 'standard',
      })) as GraphChannel;
      res.status(201).json(channelView(created));
    } catch (err) {
      graphFailure(res, next, err, `creating a channel in team ${req.params.teamId}`, 'Channel.Create');
    }
  });
  return router;
}
