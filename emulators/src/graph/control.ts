/**
 * The control API: every operation tests, the sandox and the benchmark need, callable in-process
 * (`graph.control.postMessage({...})`) and over HTTP (`POST ${baseUrl}/_control/postMessage`).
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from './context.ts';
import type { EntraState, SignInPolicy } from './entra.ts';
import { mergeFaults, noFaults } from './faults.ts';
import type { FaultSettings } from './faults.ts';
import type { DeliveryRecord, Notifier } from './notifier.ts';
import type { ThrottleOptions } from './options.ts';
import type { LoggedRequest } from './request-log.ts';
import { defaultSeed } from './seed.ts';
import type { GraphSeed, SeedApp, SeedMeeting, SeedUser } from './seed.ts';
import { messageJson, channelJson, teamJson, userJson } from './shapes.ts';
import type { Attachment, Mention } from './store.ts';
import { CHAT_MESSAGE_LIFECYCLE_EVENTS } from './subscriptions.ts';
import type { LifecycleEvent, Subscriptions } from './subscriptions.ts';

export interface PostMessageInput {
  teamId: string;
  channelId: string;
  /** User id, UPN or mail of the author. */
  from: string;
  content: string;
  contentType?: 'html' | 'text';
  replyToId?: string;
  subject?: string;
  attachments?: Attachment[];
  mentions?: Mention[];
}

export interface DeliveryFilter {
  kind?: DeliveryRecord['kind'];
  outcome?: DeliveryRecord['outcome'];
  url?: string;
  subscriptionId?: string;
}

function matches(record: DeliveryRecord, filter: DeliveryFilter): boolean {
  return (
    (!filter.kind || record.kind === filter.kind) &&
    (!filter.outcome || record.outcome === filter.outcome) &&
    (!filter.url || record.url === filter.url) &&
    (!filter.subscriptionId ||
      (record.body?.value ?? []).some((item) => item.subscriptionId === filter.subscriptionId))
  );
}

export function createControl(
  ctx: EmulatorContext,
  entra: EntraState,
  notifier: Notifier,
  subscriptions: Subscriptions,
  initialSeed: GraphSeed,
  defaults: { tokenLifetimeSeconds: number; throttle: ThrottleOptions },
) {
  const { store } = ctx;
  const app = (clientId?: string) => {
    const found = store.apps.get(clientId ?? [...store.apps.keys()][0] ?? '');
    if (!found) throw new Error(`No app registration '${clientId}'.`);
    return found;
  };

  const control = {
    /** Everything at a glance (client secrets left out). */
    state() {
      return {
        tenant: store.tenant,
        apps: [...store.apps.values()].map(({ clientSecret: _secret, ...rest }) => rest),
        users: [...store.users.values()].map(userJson),
        teams: [...store.teams.values()].map((team) => ({
          ...teamJson(team, store.tenant.id),
          members: [...team.members],
          channels: [...store.channels.values()]
            .filter((c) => c.teamId === team.id)
            .map((c) => channelJson(c, store.tenant.id)),
        })),
        subscriptions: [...subscriptions.all.values()].map((s) => ({
          ...subscriptions.json(s),
          reauthorizationRequired: s.reauthorizationRequired,
        })),
        faults: ctx.faults,
        tokenLifetimeSeconds: ctx.tokens.lifetimeSeconds,
        endpoints: notifier.endpointStates(),
      };
    },

    /** Back to the seed the stand-in started with; drops subscriptions, logs, faults and grants. */
    reset() {
      store.load(initialSeed);
      subscriptions.reset();
      notifier.reset();
      entra.reset();
      ctx.requestLog.clear();
      ctx.limiter.reset();
      ctx.activityNotifications.length = 0;
      Object.assign(ctx.faults, noFaults());
      ctx.tokens.lifetimeSeconds = defaults.tokenLifetimeSeconds;
      Object.assign(ctx.options.throttle, defaults.throttle);
      return { ok: true };
    },

    /** Replaces the named parts of the default seed (messages and subscriptions start empty). */
    seed(seed: Partial<GraphSeed>) {
      store.load({ ...defaultSeed(), ...seed });
      subscriptions.reset();
      return { ok: true };
    },

    addUser(user: SeedUser) {
      return userJson(store.addUser(user));
    },
    addApp(input: SeedApp) {
      const { clientSecret: _secret, ...rest } = store.addApp(input);
      return rest;
    },
    addTeam(input: { id?: string; displayName: string; description?: string; members?: string[] }) {
      return teamJson(store.addTeam(input), store.tenant.id);
    },
    addChannel(input: {
      teamId: string;
      id?: string;
      displayName: string;
      description?: string;
      membershipType?: 'standard' | 'private' | 'shared';
    }) {
      return channelJson(store.addChannel(input.teamId, input), store.tenant.id);
    },
    addMeeting(meeting: SeedMeeting) {
      return { id: store.addMeeting(meeting).id };
    },
    /**
     * A meeting's transcript becomes available: getAllTranscripts subscriptions created before
     * `transcriptionStartedDateTime` (default: the meeting's start) are notified.
     */
    addTranscript(input: {
      meetingId: string;
      id?: string;
      content: string;
      transcriptionStartedDateTime?: string;
      createdDateTime?: string;
    }) {
      const meeting = store.meetings.get(input.meetingId);
      if (!meeting) throw new Error(`No meeting '${input.meetingId}'.`);
      const transcript = store.addTranscript(input.meetingId, {
        id: input.id ?? Buffer.from(`1##0##${randomUUID()}`).toString('base64').replace(/=+$/, ''),
        content: input.content,
        transcriptionStartedDateTime: input.transcriptionStartedDateTime,
        createdDateTime: input.createdDateTime ?? new Date().toISOString(),
        endDateTime: meeting.endDateTime,
      });
      return { id: transcript.id };
    },
    /** Grants the app's application access policy to every user (`global`) or to more user ids. */
    grantAccessPolicy(input: { clientId?: string; global?: boolean; userIds?: string[] } = {}) {
      const target = app(input.clientId);
      if (input.global) target.accessPolicy = 'global';
      else if (target.accessPolicy !== 'global') {
        target.accessPolicy = [...new Set([...(target.accessPolicy ?? []), ...(input.userIds ?? [])])];
      }
      return { accessPolicy: target.accessPolicy ?? null };
    },
    /** Removes the app's application access policy (from everyone, or from the named users). */
    revokeAccessPolicy(input: { clientId?: string; userIds?: string[] } = {}) {
      const target = app(input.clientId);
      if (!input.userIds) delete target.accessPolicy;
      else if (Array.isArray(target.accessPolicy)) {
        target.accessPolicy = target.accessPolicy.filter((id) => !input.userIds!.includes(id));
      }
      return { accessPolicy: target.accessPolicy ?? null };
    },

    /** Adds consented permissions to an app registration (the first app when clientId is left out). */
    grantConsent(input: { clientId?: string; type?: 'application' | 'delegated'; permissions: string[] }) {
      const target = app(input.clientId);
      const list = input.type === 'delegated' ? target.delegatedPermissions : target.applicationPermissions;
      for (const permission of input.permissions ?? []) if (!list.includes(permission)) list.push(permission);
      return {
        applicationPermissions: target.applicationPermissions,
        delegatedPermissions: target.delegatedPermissions,
      };
    },
    /** Withdraws consent (all permissions when none are named); takes effect on the next API call. */
    revokeConsent(
      input: { clientId?: string; type?: 'application' | 'delegated'; permissions?: string[] } = {},
    ) {
      const target = app(input.clientId);
      const key = input.type === 'delegated' ? 'delegatedPermissions' : 'applicationPermissions';
      target[key] = input.permissions ? target[key].filter((p) => !input.permissions!.includes(p)) : [];
      return {
        applicationPermissions: target.applicationPermissions,
        delegatedPermissions: target.delegatedPermissions,
      };
    },

    /** Posts a message as a Teams user (no throttle, no token): it produces change notifications. */
    postMessage(input: PostMessageInput) {
      return messageJson(store.createMessage(input), store);
    },
    editMessage(input: {
      teamId: string;
      channelId: string;
      messageId: string;
      content: string;
      contentType?: 'html' | 'text';
    }) {
      return messageJson(store.updateMessage(input.teamId, input.channelId, input.messageId, input), store);
    },
    deleteMessage(input: { teamId: string; channelId: string; messageId: string }) {
      return messageJson(store.deleteMessage(input.teamId, input.channelId, input.messageId), store);
    },
    messages(input: { teamId: string; channelId: string }) {
      store.channel(input.teamId, input.channelId);
      return [...store.messages.values()]
        .filter((m) => m.channelId === input.channelId)
        .map((m) => messageJson(m, store));
    },

    subscriptions() {
      return [...subscriptions.all.values()].map((s) => ({
        ...subscriptions.json(s),
        reauthorizationRequired: s.reauthorizationRequired,
      }));
    },
    /**
     * Sends reauthorizationRequired or subscriptionRemoved (which also removes it) to the lifecycle URL: the
     * only lifecycle events Graph sends for chatMessage subscriptions (never `missed`).
     */
    triggerLifecycle(input: { subscriptionId: string; event: LifecycleEvent }) {
      if (!CHAT_MESSAGE_LIFECYCLE_EVENTS.includes(input.event)) {
        throw new Error(
          "event must be 'reauthorizationRequired' or 'subscriptionRemoved': Graph sends no 'missed' for chatMessage subscriptions.",
        );
      }
      subscriptions.lifecycle(input.subscriptionId, input.event);
      return { ok: true };
    },
    /** Removes a subscription without any lifecycle notification (as Graph does after some outages). */
    removeSubscription(input: { subscriptionId: string }) {
      subscriptions.removeSilently(input.subscriptionId);
      return { ok: true };
    },

    deliveries(filter: DeliveryFilter = {}): DeliveryRecord[] {
      return notifier.deliveries.filter((record) => matches(record, filter));
    },
    /** Resolves once at least `count` deliveries match (default 1), or fails after timeoutMs. */
    async waitForDeliveries(input: DeliveryFilter & { count?: number; timeoutMs?: number } = {}) {
      const { count = 1, timeoutMs = 10_000, ...filter } = input;
      const deadline = Date.now() + Number(timeoutMs);
      for (;;) {
        const found = control.deliveries(filter);
        if (found.length >= Number(count)) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `Only ${found.length} of ${count} deliveries matching ${JSON.stringify(filter)} after ${timeoutMs} ms.`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    endpointStates() {
      return notifier.endpointStates();
    },
    /** Waits until no notification is queued or being sent (scheduled retries are not waited for). */
    async idle() {
      await notifier.idle();
      return { ok: true };
    },

    requests(
      filter: { pathContains?: string; method?: string; area?: LoggedRequest['area']; since?: string } = {},
    ) {
      return ctx.requestLog.list(filter);
    },
    activityNotifications() {
      return [...ctx.activityNotifications];
    },

    faults(): FaultSettings {
      return { ...ctx.faults };
    },
    setFaults(update: Partial<FaultSettings>) {
      Object.assign(ctx.faults, mergeFaults(ctx.faults, update));
      return { ...ctx.faults };
    },
    clearFaults() {
      Object.assign(ctx.faults, noFaults());
      return { ...ctx.faults };
    },

    /** Changes the throttle limits (0 turns a limit off), e.g. for benchmarks. */
    setThrottle(update: Partial<ThrottleOptions>) {
      for (const [key, value] of Object.entries(update)) {
        if (!(key in ctx.options.throttle))
          throw new Error(
            `Unknown throttle '${key}'. Known: ${Object.keys(ctx.options.throttle).join(', ')}.`,
          );
        if (typeof value !== 'number' || value < 0) throw new Error(`${key} must be a number of 0 or more.`);
      }
      Object.assign(ctx.options.throttle, update);
      ctx.limiter.reset();
      return { ...ctx.options.throttle };
    },

    /** Every access token issued so far is answered with 401 "token is expired" from now on. */
    expireTokens() {
      ctx.tokens.expireAllIssuedTokens();
      return { ok: true };
    },
    setTokenLifetime(input: { seconds: number }) {
      const seconds = Number(input.seconds);
      if (!Number.isInteger(seconds) || seconds < 1)
        throw new Error('seconds must be a whole number of 1 or more.');
      ctx.tokens.lifetimeSeconds = seconds;
      return { tokenLifetimeSeconds: seconds };
    },
    revokeRefreshTokens(input: { userId?: string } = {}) {
      return { revoked: entra.revokeRefreshTokens(input.userId ? store.user(input.userId).id : undefined) };
    },
    /** The user's password is reset: their refresh tokens are refused (AADSTS50173) from now on. */
    resetPassword(input: { userId: string; password?: string }) {
      return { revoked: entra.resetPassword(ctx, store.user(input.userId).id, input.password) };
    },
    /** The user's refresh tokens are refused as unused for 90 days (AADSTS700082). */
    expireRefreshTokens(input: { userId: string }) {
      return { expired: entra.expireRefreshTokens(store.user(input.userId).id) };
    },
    /**
     * An admin policy for the user: `mfa` (AADSTS50076) or `mfa-enrollment` (AADSTS50079) refuse refreshes
     * of earlier sign-ins until the user signs in again; `conditional-access` (AADSTS53003) refuses all.
     */
    setSignInPolicy(input: { userId: string; policy: SignInPolicy | null }) {
      const id = store.user(input.userId).id;
      if (input.policy === null) entra.signInPolicies.delete(id);
      else {
        if (!['mfa', 'mfa-enrollment', 'conditional-access'].includes(input.policy))
          throw new Error("policy must be 'mfa', 'mfa-enrollment', 'conditional-access' or null.");
        entra.signInPolicies.set(id, { kind: input.policy, since: Date.now() });
      }
      return { userId: id, policy: input.policy };
    },
    /** Completes a device-code sign-in as `username` (what the user would do in the browser). */
    approveDeviceCode(input: { userCode: string; username: string; password?: string }) {
      entra.approveDeviceCode(ctx, input.userCode, input.username, input.password);
      return { ok: true };
    },
  };
  return control;
}

export type GraphControl = ReturnType<typeof createControl>;
