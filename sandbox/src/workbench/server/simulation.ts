import { randomUUID } from 'node:crypto';
import type { Connection } from 'jsforce';
import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import { quote } from './apex/context.ts';
import type { ServiceClient } from './service-client.ts';

interface TeamsUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The simulation panel's actions: what people do in Teams (post, mention, link, reply in a thread) through the
 * Graph stand-in, and what the platform does when a rep moves an Opportunity's stage.
 */
export function simulation(deps: { graph: GraphEmulator; channel: { teamId: string; channelId: string } }) {
  const { graph, channel } = deps;
  const users = () => graph.control.state().users as TeamsUser[];
  const findUser = (who: unknown) => {
    const user = users().find((u) => u.userPrincipalName === who || u.id === who);
    if (!user)
      throw Object.assign(new Error(`No Teams user ${String(who)} in the Graph stand-in.`), { status: 400 });
    return user;
  };

  return {
    async state(conn: Connection) {
      const describe = await conn.describe('Opportunity');
      const stages = (describe.fields.find((f) => f.name === 'StageName')?.picklistValues ?? [])
        .filter((v) => v.active)
        .map((v) => v.value);
      const threads = graph.control
        .messages(channel)
        .filter((m) => !m.replyToId)
        .map((m) => ({
          id: m.id,
          author: (m.from as { user?: { displayName?: string } } | null)?.user?.displayName ?? '',
          preview: String(m.body?.content ?? '')
            .replace(/<[^>]*>/g, '')
            .slice(0, 60),
        }));
      return {
        users: users().map((u) => ({ upn: u.userPrincipalName, displayName: u.displayName })),
        threads,
        stages,
      };
    },

    /** Posts in the demo channel as a Teams user: text, @mentions (by UPN), an optional link, in a thread. */
    postMessage(input: {
      from?: unknown;
      text?: unknown;
      mentions?: unknown;
      link?: unknown;
      replyToId?: unknown;
    }) {
      const author = findUser(input.from);
      const text = typeof input.text === 'string' ? input.text.trim() : '';
      if (!text) throw Object.assign(new Error('Write the message text.'), { status: 400 });
      const mentioned = (Array.isArray(input.mentions) ? input.mentions : []).map(findUser);
      const mentions = mentioned.map((user, id) => ({
        id,
        mentionText: user.displayName,
        mentioned: { user: { id: user.id, displayName: user.displayName, userIdentityType: 'aadUser' } },
      }));
      let content = mentioned
        .map((user, id) => `<at id="${id}">${escapeHtml(user.displayName)}</at> `)
        .join('');
      content += escapeHtml(text);
      if (typeof input.link === 'string' && input.link.trim()) {
        const url = new URL(input.link.trim()); // throws on a malformed link
        content += ` <a href="${escapeHtml(url.href)}">${escapeHtml(url.href)}</a>`;
      }
      return graph.control.postMessage({
        ...channel,
        from: author.userPrincipalName,
        content: `<p>${content}</p>`,
        contentType: 'html',
        mentions,
        ...(typeof input.replyToId === 'string' && input.replyToId ? { replyToId: input.replyToId } : {}),
      });
    },

    /**
     * Moves an Opportunity's stage as the persona; on the handoff stage it does what the package's trigger,
     * platform event and Queueable do: one signed POST /v1/outbound with the deal's payload.
     */
    async moveStage(
      conn: Connection,
      service: ServiceClient,
      input: { recordId?: unknown; stageName?: unknown },
    ) {
      const recordId = String(input.recordId ?? '');
      const stageName = String(input.stageName ?? '');
      const [before] = (
        await conn.query<{ StageName: string }>(
          `SELECT StageName FROM Opportunity WHERE Id = ${quote(recordId)}`,
        )
      ).records;
      if (!before) throw Object.assign(new Error(`No Opportunity ${recordId}.`), { status: 404 });
      const saved = await conn.sobject('Opportunity').update({ Id: recordId, StageName: stageName });
      if (!saved.success) throw new Error(JSON.stringify(saved.errors));
      const [setting] = (
        await conn.query<{ Handoff_Stage__c: string | null; Post_On_Handoff__c: boolean }>(
          "SELECT Handoff_Stage__c, Post_On_Handoff__c FROM Teams_Bridge_Setting__mdt WHERE DeveloperName = 'Default'",
        )
      ).records;
      const handoff = !!setting?.Post_On_Handoff__c && setting.Handoff_Stage__c === stageName;
      if (!handoff || before.StageName === stageName) return { stageName, outbound: null };
      const [deal] = (
        await conn.query<Record<string, unknown>>(
          `SELECT Id, Name, Amount, CloseDate, StageName, NextStep, OwnerId, Owner.Name, Owner.Email, Account.Name
         FROM Opportunity WHERE Id = ${quote(recordId)}`,
        )
      ).records;
      const owner = (deal!.Owner ?? {}) as { Name?: string; Email?: string };
      const item = {
        idempotencyKey: randomUUID(),
        kind: 'OpportunityHandoff',
        recordId,
        payload: {
          name: deal!.Name,
          amount: deal!.Amount,
          closeDate: deal!.CloseDate,
          stageName: deal!.StageName,
          nextStep: deal!.NextStep ?? null,
          ownerId: deal!.OwnerId,
          ownerName: owner.Name ?? null,
          ownerEmail: owner.Email ?? null,
          recordUrl: `${conn.instanceUrl}/lightning/r/Opportunity/${recordId}/view`,
          accountName: (deal!.Account as { Name?: string } | null)?.Name ?? null,
        },
      };
      return { stageName, outbound: await service.post('/v1/outbound', { items: [item] }) };
    },
  };
}
