/**
 * Teams Workflows stand-in: the "Post to a channel when a webhook request is received" flow. Its URL carries a
 * `sig` the caller cannot guess; the body is `{ type: 'message', attachments: [Adaptive Card] }`; the flow
 * answers 202 Accepted with no body (the message id is not returned) and posts as the Workflows app. Messages
 * over about 28 KB fail with "Request Entity Too Large" (learn.microsoft.com/connectors/teams, known issues).
 * Private channels are refused, as the Workflows app cannot post there.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { EmulatorContext } from './context.ts';

export const WORKFLOWS_PATH = '/workflows';
/** "About 28 KB" in the Teams connector's documented limits. */
export const WORKFLOWS_MAX_MESSAGE_BYTES = 28 * 1024;
const WORKFLOWS_APP = { id: 'c3a1996d-db0f-4857-a6ea-7aabf0266b00', displayName: 'Workflows' };

interface Flow {
  teamId: string;
  channelId: string;
  sig: string;
}

export class WorkflowsState {
  readonly flows = new Map<string, Flow>();
  /** Requests the flows received (accepted or not), for tests. */
  readonly requests: { flowId: string; status: number; bytes: number }[] = [];
  failures: { status: number; remaining: number } | undefined;

  reset(): void {
    this.flows.clear();
    this.requests.length = 0;
    this.failures = undefined;
  }
}

const sameSecret = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function workflowsRouter(ctx: EmulatorContext, state: WorkflowsState): Router {
  const router = express.Router();
  router.post(
    '/:flowId/triggers/manual/paths/invoke',
    express.raw({ type: () => true, limit: '1mb' }),
    (req, res) => {
      const flowId = String(req.params.flowId);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = (status: number, code?: string, message?: string) => {
        state.requests.push({ flowId, status, bytes: body.length });
        if (!code) return res.status(status).end();
        return res.status(status).json({ error: { code, message } });
      };
      const flow = state.flows.get(flowId);
      if (!flow || !sameSecret(String(req.query.sig ?? ''), flow.sig)) {
        return answer(401, 'DirectApiAuthorizationRequired', 'The request must be authenticated (sig).');
      }
      if (state.failures && state.failures.remaining > 0) {
        state.failures.remaining--;
        return answer(state.failures.status, 'ServiceUnavailable', 'The flow failed to run.');
      }
      if (body.length > WORKFLOWS_MAX_MESSAGE_BYTES) {
        return answer(413, 'RequestEntityTooLarge', 'Request Entity Too Large.');
      }
      let parsed: { type?: unknown; attachments?: { contentType?: unknown; content?: unknown }[] };
      try {
        parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
      } catch {
        return answer(400, 'InvalidRequestContent', 'The request body is not JSON.');
      }
      const cards = (parsed.attachments ?? []).filter(
        (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
      );
      if (parsed.type !== 'message' || cards.length === 0) {
        return answer(
          400,
          'InvalidRequestContent',
          "Expected type 'message' with an Adaptive Card attachment.",
        );
      }
      const channel = ctx.store.channels.get(flow.channelId);
      if (!channel) return answer(404, 'NotFound', 'The channel was not found.');
      if (channel.membershipType === 'private') {
        return answer(403, 'Forbidden', 'The Workflows app cannot post in private channels.');
      }
      const attachments = cards.map((a, i) => ({
        id: `wf-${Date.now().toString(36)}-${i}`,
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: JSON.stringify(a.content ?? null),
      }));
      ctx.store.createMessage({
        teamId: flow.teamId,
        channelId: flow.channelId,
        from: '',
        fromApplication: WORKFLOWS_APP,
        content: attachments.map((a) => `<attachment id="${a.id}"></attachment>`).join(''),
        contentType: 'html',
        attachments,
      });
      return answer(202);
    },
  );
  return router;
}

export function createWorkflowsControl(ctx: EmulatorContext, state: WorkflowsState) {
  return {
    /** A team member builds the flow for a channel: its webhook URL. */
    createWorkflowsWebhook(input: { teamId: string; channelId: string }) {
      ctx.store.channel(input.teamId, input.channelId);
      const flowId = randomUUID().replace(/-/g, '');
      const sig = randomBytes(24).toString('base64url');
      state.flows.set(flowId, { teamId: input.teamId, channelId: input.channelId, sig });
      const url = `${ctx.urls.baseUrl}${WORKFLOWS_PATH}/${flowId}/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${sig}`;
      return { url };
    },
    /** The next `count` runs fail with `status` (e.g. 502) before posting anything. */
    failWorkflows(input: { status: number; count: number }) {
      state.failures = { status: input.status, remaining: input.count };
      return { ok: true };
    },
    workflowsRequests() {
      return [...state.requests];
    },
  };
}
