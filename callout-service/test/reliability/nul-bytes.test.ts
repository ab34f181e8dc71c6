import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningService } from '../../src/main.ts';
import { getChannelCursor } from '../../src/store/channel-cursors.ts';
import { acceptOutboundItems } from '../../src/outbound/outbound-items.ts';
import { recordDeadLetter } from '../../src/store/dead-letters.ts';
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
  // The first delta round (started by the creation) is over before the test posts anything.
  await service.context.subscriptionManager.backfillAll();
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

const post = (content: string) =>
  stands.graph.control.postMessage({ teamId: SALES_TEAM, channelId: DEAL_DESK, from: USERS.alex, content });

test('a message holding U+0000 is backfilled, and neither it nor the channel cursor blocks the channel', async () => {
  const cursorBefore = await getChannelCursor(service.context.db.pool, SALES_TEAM, DEAL_DESK);
  stands.graph.control.setFaults({ dropNextNotifications: 2 });
  const poisoned = post('<p>discount\u0000 for Contoso</p>');
  const plain = post('<p>pricing exception after the NUL one</p>');
  await new Promise((r) => setTimeout(r, 300));

  const result = await service.context.subscriptionManager.backfillAll();
  assert.equal(result.queued, 2, 'both lost messages were queued in one round');
  const cursorAfter = await getChannelCursor(service.context.db.pool, SALES_TEAM, DEAL_DESK);
  assert.notEqual(cursorAfter?.deltaLink, cursorBefore?.deltaLink, 'the cursor moved on');

  await waitFor('both Tasks', () => {
    const a = tasksFor(stands, poisoned.id).Deal_Desk_Keywords!;
    const b = tasksFor(stands, plain.id).Deal_Desk_Keywords!;
    return a.length === 1 && b.length === 1 && a;
  });
  const [task] = tasksFor(stands, poisoned.id).Deal_Desk_Keywords!;
  assert.ok(!task!.Description.includes('\u0000'), 'no NUL reaches Salesforce either');

  // The next round has nothing left to do: the channel is not stuck on the message.
  const again = await service.context.subscriptionManager.backfillAll();
  assert.equal(again.queued, 0);
});

test('NUL in an outbound item or a dead letter is stored, not a database error', async () => {
  const pool = service.context.db.pool;
  const accepted = await acceptOutboundItems(pool, [
    {
      idempotencyKey: 'evt-\u0000-1',
      kind: 'OpportunityHandoff',
      recordId: '006000000000001AAA',
      payload: { name: 'Contoso\u0000 renewal', nextStep: 'a\u0000b' },
    },
  ]);
  assert.equal(accepted.accepted, 1);
  const { rows } = await pool.query<{ payload: { name: string } }>(
    `SELECT payload FROM outbound_items WHERE record_id = '006000000000001AAA'`,
  );
  assert.equal(rows[0]!.payload.name, 'Contoso\uFFFD renewal');

  const id = await recordDeadLetter(pool, {
    queue: 'inbound-message',
    jobId: null,
    payload: { text: 'x\u0000y' },
    error: 'failed on \u0000',
    attempts: 1,
  });
  assert.ok(id);
});
