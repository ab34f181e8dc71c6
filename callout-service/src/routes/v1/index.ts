import { Router } from 'express';
import type { PgBoss } from 'pg-boss';
import type { ReadinessProbe } from '../../ops/health.ts';
import type { GraphAdapter } from '../../graph/client.ts';
import type { Pool } from '../../store/database.ts';
import type { SubscriptionRow } from '../../subscriptions/subscription-rows.ts';
import { conversationRouter } from './conversation.ts';
import { deadLettersRouter } from './dead-letters.ts';
import { outboundRouter } from './outbound.ts';
import { TokenIdStore } from '../../store/token-ids.ts';
import { verifyCaller } from './signature.ts';
import { statusRouter } from './status.ts';
import { subscriptionsRouter } from './subscriptions.ts';
import { teamsRouter } from './teams.ts';
import type { Outbound } from '../../outbound/start-outbound.ts';
import { replyRouter } from './conversation-reply.ts';
import { channelPostingRouter } from './channel-posting.ts';
import { transcriptsRouter } from './transcripts.ts';
import type { TranscriptHandler } from '../../transcripts/handle-transcript.ts';

export interface V1Deps {
  pool: Pool;
  boss: PgBoss;
  probe: ReadinessProbe;
  /** The org certificate and claims of the Salesforce JWT (TEAMS_BRIDGE_JWT_*); without a certificate /v1 answers 503. */
  jwt: { certificatePem: string | undefined; issuer: string; audience: string; maxLifetimeSeconds: number };
  bodyLimit: string;
  renewSubscription: (id: string) => Promise<SubscriptionRow | undefined>;
  graph: GraphAdapter;
  outbound: Outbound;
  transcripts?: TranscriptHandler;
}

/** The API Salesforce calls (docs/contracts.md): every route behind the JWT check, which runs before the body is read. */
export function v1Router(deps: V1Deps): Router {
  const router = Router();
  router.use(
    '/v1',
    ...verifyCaller({
      ...deps.jwt,
      clockToleranceSeconds: 30,
      tokenIds: new TokenIdStore(deps.pool),
      bodyLimit: deps.bodyLimit,
    }),
  );
  router.use('/v1', deadLettersRouter(deps));
  router.use('/v1', statusRouter(deps));
  router.use('/v1', subscriptionsRouter({ renew: deps.renewSubscription }));
  router.use('/v1', teamsRouter(deps));
  router.use('/v1', outboundRouter({ pool: deps.pool, onAccepted: () => deps.outbound.worker?.notify() }));
  router.use('/v1', replyRouter({ pool: deps.pool, outbound: deps.outbound }));
  router.use(
    '/v1',
    channelPostingRouter({ pool: deps.pool, graph: deps.graph, config: deps.outbound.config }),
  );
  router.use('/v1', conversationRouter({ graph: deps.graph, graphBaseUrl: deps.graph.apiBase }));
  router.use('/v1', transcriptsRouter({ pool: deps.pool, transcripts: deps.transcripts }));
  return router;
}
