/** The Teams Workflows stand-in: sig check, 202 with the card posted as Workflows, 28 KB limit, private channels. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGraphEmulator, type GraphEmulator } from '../src/graph/index.ts';

const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Contoso' }] };
const message = (content: unknown = card) => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
});
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Workflows stand-in', () => {
  let graph: GraphEmulator;
  let teamId: string;
  let channelId: string;
  before(async () => {
    graph = await startGraphEmulator();
    const team = graph.control.state().teams[0]!;
    teamId = team.id;
    channelId = team.channels.find((c) => c.membershipType !== 'private')!.id;
  });
  after(async () => graph?.close());

  it('posts the card as the Workflows app and answers 202 with no body', async () => {
    const { url } = graph.control.createWorkflowsWebhook({ teamId, channelId });
    const response = await post(url, message());
    assert.equal(response.status, 202);
    assert.equal(await response.text(), '');
    const posted = graph.control.messages({ teamId, channelId }).at(-1)!;
    assert.equal(posted.from.application?.displayName, 'Workflows');
    assert.deepEqual(JSON.parse(String(posted.attachments[0]!.content)), card);
  });

  it('refuses a wrong sig, an oversized message and a body that is not a card message', async () => {
    const { url } = graph.control.createWorkflowsWebhook({ teamId, channelId });
    const wrong = new URL(url);
    wrong.searchParams.set('sig', 'x'.repeat(32));
    assert.equal((await post(wrong.toString(), message())).status, 401);
    const big = { ...card, body: [{ type: 'TextBlock', text: 'x'.repeat(29 * 1024) }] };
    const tooLarge = await post(url, message(big));
    assert.equal(tooLarge.status, 413);
    assert.match(await tooLarge.text(), /RequestEntityTooLarge/);
    assert.equal((await post(url, { type: 'message', text: 'hi' })).status, 400);
  });

  it('refuses a private channel and fails on demand with a 5xx before posting', async () => {
    const secret = graph.control.addChannel({ teamId, displayName: 'Secret', membershipType: 'private' });
    const { url: privateUrl } = graph.control.createWorkflowsWebhook({ teamId, channelId: secret.id });
    assert.equal((await post(privateUrl, message())).status, 403);
    const { url } = graph.control.createWorkflowsWebhook({ teamId, channelId });
    const count = graph.control.messages({ teamId, channelId }).length;
    graph.control.failWorkflows({ status: 502, count: 1 });
    assert.equal((await post(url, message())).status, 502);
    assert.equal(graph.control.messages({ teamId, channelId }).length, count);
    assert.equal((await post(url, message())).status, 202);
  });
});
