import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdaptiveConcurrency } from '../../src/inbound/adaptive-concurrency.ts';

const limiter = (max = 400) => {
  // A window far in the future: the test drives adjust() itself with the utilization it chooses.
  const c = new AdaptiveConcurrency({ max, min: 32, busyAbove: 0.5, windowMs: 3600_000 });
  return c;
};

test('starts at the floor and doubles while the limit holds jobs back and the loop has room', () => {
  const c = limiter();
  assert.equal(c.limit, 32);
  for (const expected of [64, 128, 256, 400, 400]) {
    c.markLimited();
    c.adjust(0.1);
    assert.equal(c.limit, expected);
  }
  c.stop();
});

test('does not grow when the limit is not what holds jobs back', () => {
  const c = limiter();
  c.adjust(0.1);
  assert.equal(c.limit, 32);
  c.stop();
});

test('halves, down to the floor, while the smoothed utilization is above the threshold', () => {
  const c = limiter();
  for (let i = 0; i < 4; i++) {
    c.markLimited();
    c.adjust(0);
  }
  assert.equal(c.limit, 400);
  c.adjust(0.9); // one busy window: smoothed 0.36, still below 0.5
  assert.equal(c.limit, 400);
  c.adjust(0.9); // smoothed 0.58
  assert.equal(c.limit, 200);
  for (let i = 0; i < 6; i++) c.adjust(1);
  assert.equal(c.limit, 32);
  c.markLimited();
  c.adjust(1);
  assert.equal(c.limit, 32, 'no growth while busy, even when limited');
  c.stop();
});

test('reads the event loop itself: a blocked loop counts as busy', async () => {
  const c = new AdaptiveConcurrency({ max: 400, min: 32, busyAbove: 0.5, windowMs: 3600_000 });
  for (let i = 0; i < 3; i++) {
    c.markLimited();
    c.adjust(0);
  }
  assert.equal(c.limit, 256);
  for (let i = 0; i < 3; i++) {
    const until = Date.now() + 60;
    while (Date.now() < until); // the loop busy for the whole window
    await new Promise((r) => setImmediate(r)); // the loop's busy time is counted when it turns
    c.adjust();
  }
  assert.ok(c.utilization > 0.5, `utilization ${c.utilization}`);
  assert.ok(c.limit < 256, `limit ${c.limit}`);
  c.stop();
});
