import { test } from 'node:test';
import assert from 'node:assert/strict';
import { taskKey } from '../../src/inbound/idempotency-key.ts';

test('the key is stable, short and distinct per message and rule', () => {
  const a = taskKey('team-1', '19:abc@thread.tacv2', '1700000000000', 'Deal_Desk_Keywords');
  assert.equal(a, taskKey('team-1', '19:abc@thread.tacv2', '1700000000000', 'Deal_Desk_Keywords'));
  assert.match(a, /^tb1_[0-9a-f]{64}$/);
  assert.ok(a.length <= 255);
  assert.notEqual(a, taskKey('team-1', '19:abc@thread.tacv2', '1700000000000', 'Competitor_Mentions'));
  assert.notEqual(a, taskKey('team-1', '19:abc@thread.tacv2', '1700000000001', 'Deal_Desk_Keywords'));
  // Ids that contain the separator of a naive join cannot collide.
  assert.notEqual(taskKey('a:b', 'c', 'm', 'r'), taskKey('a', 'b:c', 'm', 'r'));
});

test('very long ids still give a key that fits Text(255)', () => {
  assert.equal(taskKey('t'.repeat(500), 'c'.repeat(500), 'm'.repeat(500), 'r'.repeat(40)).length, 68);
});
