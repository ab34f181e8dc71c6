/**
 * A delegated service account as the unmodified msal-node signs it in: device code (polling with
 * authorization_pending until the person approves), silent refresh, and the refusals Entra ID gives a refresh
 * after a password reset (AADSTS50173), newly required MFA (50076/50079), a Conditional Access block (53003)
 * and 90 days of inactivity (700082). Then the account posts to a channel with ChannelMessage.Send.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PublicClientApplication, type AccountInfo } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { startGraphEmulator, type GraphEmulator } from '../src/graph/index.ts';

const SERVICE_USER = 'svc-teamsbridge@contoso.example';
const SALES = '7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0';
const DEAL_DESK = '19:dealdesk0a1b2c3d4e5f60718293a4b5@thread.tacv2';
const SCOPES = ['https://graph.microsoft.com/ChannelMessage.Send'];

let graph: GraphEmulator;

const msal = () =>
  new PublicClientApplication({
    auth: {
      clientId: graph.clientId,
      authority: `${graph.authorityHost}/${graph.tenantId}`,
      knownAuthorities: [new URL(graph.authorityHost).host],
    },
  });

async function signIn(app: PublicClientApplication, username = SERVICE_USER) {
  const prompts: string[] = [];
  const result = await app.acquireTokenByDeviceCode({
    scopes: SCOPES,
    deviceCodeCallback: (info) => {
      prompts.push(info.message);
      // The person opens the page and enters the code; the control API stands in for the browser.
      setTimeout(() => graph.control.approveDeviceCode({ userCode: info.userCode, username }), 1200);
    },
  });
  assert.ok(result, 'a token');
  return { result, prompts };
}

const userId = (graphUser: string) =>
  graph.control.state().users.find((u) => u.userPrincipalName === graphUser)!.id;

before(async () => {
  graph = await startGraphEmulator({ port: 0, deviceCodeIntervalSeconds: 1 });
});
after(() => graph.close());
beforeEach(() => {
  graph.control.setSignInPolicy({ userId: userId(SERVICE_USER), policy: null });
  // Under MSAL's 5-minute renewal margin: every acquireTokenSilent refreshes.
  graph.control.setTokenLifetime({ seconds: 120 });
});

describe('device-code sign-in and refresh with msal-node', () => {
  it('polls with authorization_pending until the code is approved, then gives delegated tokens', async () => {
    const before = graph.control.requests({ pathContains: '/oauth2/v2.0/token' }).length;
    const app = msal();
    const { result, prompts } = await signIn(app);
    assert.equal(prompts.length, 1);
    assert.match(prompts[0]!, /enter the code \w+ to authenticate/);
    const polls = graph.control.requests({ pathContains: '/oauth2/v2.0/token' }).slice(before);
    assert.ok(
      polls.some((r) => r.status === 400),
      'at least one poll answered authorization_pending',
    );
    const claims = decodeJwt(result.accessToken);
    assert.equal(claims.upn, SERVICE_USER);
    assert.equal(claims.idtyp, 'user');
    assert.match(String(claims.scp), /\bChannelMessage\.Send\b/);
    assert.equal(result.account?.username, SERVICE_USER);

    const account = (await app.getAllAccounts())[0]!;
    const silent = await app.acquireTokenSilent({ account, scopes: SCOPES });
    assert.equal(silent.fromCache, false, 'refreshed with the refresh token');
    assert.notEqual(silent.accessToken, result.accessToken);
  });

  const refusals: Array<{
    name: string;
    breakIt: (id: string) => void;
    code: string;
    error: RegExp;
  }> = [
    {
      name: 'a password reset',
      breakIt: (id) => graph.control.resetPassword({ userId: id }),
      code: 'AADSTS50173',
      error: /invalid_grant/,
    },
    {
      name: 'MFA newly required',
      breakIt: (id) => graph.control.setSignInPolicy({ userId: id, policy: 'mfa' }),
      code: 'AADSTS50076',
      error: /invalid_grant/,
    },
    {
      name: 'MFA enrollment required',
      breakIt: (id) => graph.control.setSignInPolicy({ userId: id, policy: 'mfa-enrollment' }),
      code: 'AADSTS50079',
      error: /invalid_grant/,
    },
    {
      name: 'a Conditional Access block',
      breakIt: (id) => graph.control.setSignInPolicy({ userId: id, policy: 'conditional-access' }),
      code: 'AADSTS53003',
      error: /interaction_required/,
    },
    {
      name: '90 days without a refresh',
      breakIt: (id) => graph.control.expireRefreshTokens({ userId: id }),
      code: 'AADSTS700082',
      error: /invalid_grant/,
    },
  ];
  for (const refusal of refusals) {
    it(`refuses the refresh after ${refusal.name} with ${refusal.code}`, async () => {
      const app = msal();
      await signIn(app);
      const account: AccountInfo = (await app.getAllAccounts())[0]!;
      refusal.breakIt(account.localAccountId);
      const failure = (await app.acquireTokenSilent({ account, scopes: SCOPES }).then(
        () => undefined,
        (err: unknown) => err,
      )) as { errorCode?: string; errorMessage?: string } | undefined;
      assert.ok(failure, 'the refresh failed');
      assert.match(String(failure.errorMessage), new RegExp(refusal.code));
      assert.match(String(failure.errorCode), refusal.error);
    });
  }

  it('MFA newly required: a fresh interactive sign-in works again; Conditional Access blocks even that', async () => {
    const id = userId(SERVICE_USER);
    graph.control.setSignInPolicy({ userId: id, policy: 'mfa' });
    const app = msal();
    await signIn(app);
    const account = (await app.getAllAccounts())[0]!;
    assert.equal((await app.acquireTokenSilent({ account, scopes: SCOPES })).fromCache, false);

    graph.control.setSignInPolicy({ userId: id, policy: 'conditional-access' });
    // msal-node keeps only the OAuth error of a failed device-code poll, not the AADSTS description.
    await assert.rejects(signIn(msal()), /interaction_required/);
    const refused = graph.control.requests({ pathContains: '/oauth2/v2.0/token' }).at(-1)!;
    assert.equal(refused.status, 400);
  });
});

describe('posting to a channel as the service account', () => {
  const post = (token: string, teamId: string, channelId: string, body: unknown) =>
    fetch(`${graph.baseUrl}/v1.0/teams/${teamId}/channels/${encodeURIComponent(channelId)}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('posts an Adaptive Card as the signed-in user, readable in the channel with from.user', async () => {
    const { result } = await signIn(msal());
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Handoff' }] };
    const sent = await post(result.accessToken, SALES, DEAL_DESK, {
      body: { contentType: 'html', content: '<attachment id="card1"></attachment>' },
      attachments: [
        {
          id: 'card1',
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: JSON.stringify(card),
        },
      ],
    });
    assert.equal(sent.status, 201);
    const message = (await sent.json()) as { id: string; from: { user: { displayName: string } } };
    assert.equal(message.from.user.displayName, 'Teams Bridge Service');
    const listed = graph.control.messages({ teamId: SALES, channelId: DEAL_DESK });
    assert.ok(listed.some((m) => m.id === message.id && m.from.user?.id === userId(SERVICE_USER)));
  });

  it('refuses a user who is not a member of the team (403) and a token without ChannelMessage.Send', async () => {
    const team = graph.control.addTeam({ displayName: 'Closed', members: [userId('alex@contoso.example')] });
    const channel = graph.control.addChannel({ teamId: team.id, displayName: 'General' });
    const { result } = await signIn(msal());
    const refused = await post(result.accessToken, team.id, channel.id, { body: { content: 'hi' } });
    assert.equal(refused.status, 403);

    const app = msal();
    const readOnly = await app.acquireTokenByDeviceCode({
      scopes: ['https://graph.microsoft.com/User.Read'],
      deviceCodeCallback: (info) =>
        setTimeout(
          () => graph.control.approveDeviceCode({ userCode: info.userCode, username: SERVICE_USER }),
          1200,
        ),
    });
    const denied = await post(readOnly!.accessToken, SALES, DEAL_DESK, { body: { content: 'hi' } });
    assert.equal(denied.status, 403);
    assert.match(
      ((await denied.json()) as { error: { message: string } }).error.message,
      /ChannelMessage\.Send/,
    );
  });
});
