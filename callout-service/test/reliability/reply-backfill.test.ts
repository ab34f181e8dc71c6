import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningService } from '../../src/main.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  DEAL_DESK,
  SALES_TEAM,
  USERS,
  serviceConfig,
  start,
  startStandIns,
  tasksFor,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

let db: TestDatabase;
let stands: Stands;
let service: RunningService;

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
  service = await start(serviceConfig(stands, db.url, { SUBSCRIPTIONS_ENABLED: 'false' }));
  await service.context.subscriptionManager.reconcile();
  await service.context.subscriptionManager.backfillAll();
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

const post = (content: string, replyToId?: string) =>
  stands.graph.control.postMessage({
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    from: USERS.alex,
    content,
    ...(replyToId ? { replyToId } : {}),
  });
const deal = (id: string) => tasksFor(stands, id, ['Deal_Desk_Keywords']).Deal_Desk_Keywords!;

test('replies whose notifications were lost are backfilled, exactly once, in new and in known threads', async () => {
  // A thread the service already knows (its root notified and seen by a backfill round).
  const known = post('<p>Contoso renewal thread</p>');
  await new Promise((r) => setTimeout(r, 300));
  await service.context.subscriptionManager.backfillAll();

  // Now everything is lost for a while: a new root with a reply, and a reply in the known thread.
  stands.graph.control.setFaults({ dropNextNotifications: 3 });
  const root = post('<p>New thread: legal review</p>');
  const lostInNew = post('<p>we need a discount here</p>', root.id);
  const lostInKnown = post('<p>pricing exception approved?</p>', known.id);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(deal(lostInNew.id).length + deal(lostInKnown.id).length, 0, 'nothing came by notification');

  const result = await service.context.subscriptionManager.backfillAll();
  assert.ok(result.queued >= 2, `queued ${result.queued}`);
  await waitFor(
    'both reply Tasks',
    () => deal(lostInNew.id).length === 1 && deal(lostInKnown.id).length === 1,
  );

  const again = await service.context.subscriptionManager.backfillAll();
  assert.equal(again.queued, 0, 'a second round queues nothing');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(deal(lostInNew.id).length, 1);
  assert.equal(deal(lostInKnown.id).length, 1);
});
