/** Change-notification subscriptions: create (with the validation handshake), get, list, renew, delete, reauthorize. */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Router } from 'express';
import { callerOf, requirePermission } from './auth.ts';
import type { Caller } from './auth.ts';
import type { EmulatorContext } from './context.ts';
import { GraphError, badRequest } from './errors.ts';
import type { Notifier } from './notifier.ts';
import { encryptResource, parseEncryptionCertificate } from './rich.ts';
import type { EncryptionCertificate } from './rich.ts';
import { param } from './params.ts';
import { messageJson, transcriptJson } from './shapes.ts';
import type { ChangeType, Meeting, Message } from './store.ts';
import type { SeedTranscript } from './seed.ts';

export const MAX_CHANNEL_MESSAGE_MINUTES = 4320;
const LIFECYCLE_REQUIRED_ABOVE_MINUTES = 60;
const CLIENT_STATE_MAX = 128;
const READ_MESSAGES = { application: ['ChannelMessage.Read.All'], delegated: ['ChannelMessage.Read.All'] };
/** communications/onlineMeetings/getAllTranscripts: application permission only (delegated: not supported). */
const READ_ALL_TRANSCRIPTS = { application: ['OnlineMeetingTranscript.Read.All'] };
export const ALL_TRANSCRIPTS_KEY = '/communications/onlineMeetings/getAllTranscripts';

export interface Subscription {
  id: string;
  appId: string;
  creatorId: string;
  /** As given by the caller, and the normalised form used for matching and uniqueness. */
  resource: string;
  key: string;
  /** Channel-message subscriptions: the team (and channel); absent for transcript subscriptions. */
  teamId?: string;
  channelId?: string;
  createdDateTime: string;
  changeTypes: ChangeType[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  clientState: string | null;
  includeResourceData: boolean;
  encryptionCertificate: string | null;
  encryptionCertificateId: string | null;
  certificate?: EncryptionCertificate;
  latestSupportedTlsVersion: string;
  reauthorizationRequired: boolean;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** https everywhere, except loopback http: a deliberate allowance so tests can use plain local receivers. */
function checkNotificationUrl(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw badRequest(`${name} is required.`, 'InvalidRequest');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest(`${name} '${value}' is not an absolute URL.`, 'InvalidRequest');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw badRequest(
      `${name} must use https (plain http is accepted only for loopback addresses in this stand-in).`,
      'InvalidRequest',
    );
  }
  return value;
}

function parseResource(
  ctx: EmulatorContext,
  resource: unknown,
): { key: string; teamId?: string; channelId?: string } {
  if (typeof resource !== 'string' || !resource) throw badRequest('resource is required.', 'InvalidRequest');
  const clean = resource.replace(/^\/+/, '').replace(/^(v1\.0|beta)\//, '');
  if (clean === ALL_TRANSCRIPTS_KEY.slice(1)) return { key: ALL_TRANSCRIPTS_KEY };
  const channel = /^teams(?:\/|\(')([^/']+)(?:'\))?\/channels(?:\/|\(')([^/']+)(?:'\))?\/messages$/.exec(
    clean,
  );
  if (channel) {
    const teamId = decodeURIComponent(channel[1]!);
    const channelId = decodeURIComponent(channel[2]!);
    ctx.store.channel(teamId, channelId);
    return { key: `/teams/${teamId}/channels/${channelId}/messages`, teamId, channelId };
  }
  const team = /^teams(?:\/|\(')([^/']+)(?:'\))?\/channels\/getAllMessages$/.exec(clean);
  if (team) {
    const teamId = decodeURIComponent(team[1]!);
    ctx.store.team(teamId);
    return { key: `/teams/${teamId}/channels/getAllMessages`, teamId };
  }
  throw badRequest(
    `Resource '${resource}' is not supported by this stand-in; use /teams/{team-id}/channels/{channel-id}/messages, /teams/{team-id}/channels/getAllMessages or communications/onlineMeetings/getAllTranscripts.`,
    'InvalidRequest',
  );
}

function parseChangeTypes(value: unknown): ChangeType[] {
  if (typeof value !== 'string' || !value)
    throw badRequest(
      'changeType is required (created, updated, deleted, comma separated).',
      'InvalidRequest',
    );
  const parts = value.split(',').map((part) => part.trim());
  for (const part of parts) {
    if (!['created', 'updated', 'deleted'].includes(part))
      throw badRequest(
        `changeType '${part}' is not valid; use created, updated and/or deleted.`,
        'InvalidRequest',
      );
  }
  return [...new Set(parts)] as ChangeType[];
}

function checkExpiration(value: unknown, hasLifecycleUrl: boolean): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw badRequest(
      'expirationDateTime is required and must be an ISO 8601 date and time.',
      'InvalidRequest',
    );
  }
  const minutes = (Date.parse(value) - Date.now()) / 60_000;
  if (minutes <= 0) throw badRequest('Subscription expiration must be in the future.', 'InvalidRequest');
  if (minutes > MAX_CHANNEL_MESSAGE_MINUTES) {
    throw badRequest(
      `Subscription expiration can only be ${MAX_CHANNEL_MESSAGE_MINUTES} minutes in the future.`,
      'InvalidRequest',
    );
  }
  if (minutes > LIFECYCLE_REQUIRED_ABOVE_MINUTES && !hasLifecycleUrl) {
    throw badRequest(
      'lifecycleNotificationUrl is a required property for subscription creation on this resource when the expirationDateTime value is set to greater than 1 hour.',
      'InvalidRequest',
    );
  }
  return new Date(Date.parse(value)).toISOString();
}

export class Subscriptions {
  readonly all = new Map<string, Subscription>();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly notifier: Notifier,
  ) {
    ctx.store.onMessageChange((changeType, message) => this.onChange(changeType, message));
    ctx.store.onTranscriptCreated((meeting, transcript) => this.onTranscript(meeting, transcript));
  }

  json(sub: Subscription) {
    return {
      '@odata.context': `${this.ctx.urls.baseUrl}/v1.0/$metadata#subscriptions/$entity`,
      id: sub.id,
      resource: sub.resource,
      applicationId: sub.appId,
      changeType: sub.changeTypes.join(','),
      clientState: sub.clientState,
      notificationUrl: sub.notificationUrl,
      notificationQueryOptions: null,
      lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
      expirationDateTime: sub.expirationDateTime,
      creatorId: sub.creatorId,
      includeResourceData: sub.includeResourceData,
      latestSupportedTlsVersion: sub.latestSupportedTlsVersion,
      encryptionCertificate: sub.encryptionCertificate,
      encryptionCertificateId: sub.encryptionCertificateId,
      notificationUrlAppId: null,
    };
  }

  private live(): Subscription[] {
    const now = Date.now();
    for (const [id, sub] of this.all) if (Date.parse(sub.expirationDateTime) <= now) this.all.delete(id);
    return [...this.all.values()];
  }

  get(caller: Caller, id: string): Subscription {
    const sub = this.live().find((s) => s.id === id);
    if (!sub || sub.appId !== caller.app.clientId) {
      throw new GraphError(
        404,
        'ResourceNotFound',
        `The object was not found. Subscription '${id}' does not exist or has expired.`,
      );
    }
    return sub;
  }

  async create(caller: Caller, body: Record<string, unknown>): Promise<Subscription> {
    const { key, teamId, channelId } = parseResource(this.ctx, body.resource);
    requirePermission(caller, key === ALL_TRANSCRIPTS_KEY ? READ_ALL_TRANSCRIPTS : READ_MESSAGES);
    const changeTypes = parseChangeTypes(body.changeType);
    if (key === ALL_TRANSCRIPTS_KEY && changeTypes.some((c) => c !== 'created')) {
      throw badRequest(
        "changeType for communications/onlineMeetings/getAllTranscripts must be 'created' (a transcript is only ever made available).",
        'InvalidRequest',
      );
    }
    const notificationUrl = checkNotificationUrl('notificationUrl', body.notificationUrl);
    const lifecycleNotificationUrl =
      body.lifecycleNotificationUrl === undefined || body.lifecycleNotificationUrl === null
        ? null
        : checkNotificationUrl('lifecycleNotificationUrl', body.lifecycleNotificationUrl);
    const expirationDateTime = checkExpiration(body.expirationDateTime, lifecycleNotificationUrl !== null);
    const clientState = body.clientState === undefined || body.clientState === null ? null : body.clientState;
    if (clientState !== null && (typeof clientState !== 'string' || clientState.length > CLIENT_STATE_MAX)) {
      throw badRequest(
        `clientState must be a string of at most ${CLIENT_STATE_MAX} characters.`,
        'InvalidRequest',
      );
    }
    const includeResourceData = body.includeResourceData === true;
    let certificate: EncryptionCertificate | undefined;
    if (includeResourceData) {
      if (typeof body.encryptionCertificate !== 'string' || !body.encryptionCertificate) {
        throw badRequest(
          'A valid encryptionCertificate is required when includeResourceData is true.',
          'InvalidRequest',
        );
      }
      if (typeof body.encryptionCertificateId !== 'string' || !body.encryptionCertificateId) {
        throw badRequest(
          'encryptionCertificateId is required when includeResourceData is true.',
          'InvalidRequest',
        );
      }
      certificate = parseEncryptionCertificate(body.encryptionCertificate);
    }
    const existing = this.live().find((s) => s.appId === caller.app.clientId && s.key === key);
    if (existing) {
      throw new GraphError(
        409,
        'Conflict',
        `Subscription Id ${existing.id} already exists for the requested combination`,
      );
    }
    // Graph validates both endpoints before it answers.
    for (const url of [notificationUrl, lifecycleNotificationUrl]) {
      if (!url) continue;
      const result = await this.notifier.validate(url);
      if (!result.ok) throw new GraphError(400, result.code, result.message);
    }
    const again = this.live().find((s) => s.appId === caller.app.clientId && s.key === key);
    if (again)
      throw new GraphError(
        409,
        'Conflict',
        `Subscription Id ${again.id} already exists for the requested combination`,
      );
    const sub: Subscription = {
      id: randomUUID(),
      appId: caller.app.clientId,
      creatorId: caller.user?.id ?? caller.app.clientId,
      resource: body.resource as string,
      key,
      teamId,
      channelId,
      createdDateTime: new Date().toISOString(),
      changeTypes,
      notificationUrl,
      lifecycleNotificationUrl,
      expirationDateTime,
      clientState,
      includeResourceData,
      encryptionCertificate: includeResourceData ? (body.encryptionCertificate as string) : null,
      encryptionCertificateId: includeResourceData ? (body.encryptionCertificateId as string) : null,
      certificate,
      latestSupportedTlsVersion:
        typeof body.latestSupportedTlsVersion === 'string' ? body.latestSupportedTlsVersion : 'v1_2',
      reauthorizationRequired: false,
    };
    this.all.set(sub.id, sub);
    this.ctx.options.log(`subscription ${sub.id} created for ${key}`);
    return sub;
  }

  renew(caller: Caller, id: string, body: Record<string, unknown>): Subscription {
    const sub = this.get(caller, id);
    const allowed = ['expirationDateTime'];
    const unknown = Object.keys(body).filter((k) => !allowed.includes(k) && !k.startsWith('@odata'));
    if (unknown.length > 0)
      throw badRequest(
        `Only expirationDateTime can be updated; remove ${unknown.join(', ')}.`,
        'InvalidRequest',
      );
    sub.expirationDateTime = checkExpiration(body.expirationDateTime, sub.lifecycleNotificationUrl !== null);
    return sub;
  }

  remove(caller: Caller, id: string): void {
    const sub = this.get(caller, id);
    this.all.delete(sub.id);
  }

  reauthorize(caller: Caller, id: string): void {
    const sub = this.get(caller, id);
    requirePermission(caller, sub.key === ALL_TRANSCRIPTS_KEY ? READ_ALL_TRANSCRIPTS : READ_MESSAGES);
    sub.reauthorizationRequired = false;
  }

  /** Sends a lifecycle notification to the subscription's lifecycleNotificationUrl (on demand, via control). */
  lifecycle(id: string, event: LifecycleEvent): void {
    const sub = this.all.get(id);
    if (!sub) throw new Error(`No subscription '${id}'.`);
    if (!sub.lifecycleNotificationUrl) {
      throw new Error(
        `Subscription '${id}' has no lifecycleNotificationUrl; Graph sends lifecycle notifications only there.`,
      );
    }
    if (event === 'reauthorizationRequired') sub.reauthorizationRequired = true;
    if (event === 'subscriptionRemoved') this.all.delete(id);
    this.notifier.enqueue({
      kind: 'lifecycle',
      url: sub.lifecycleNotificationUrl,
      appId: sub.appId,
      rich: false,
      item: {
        subscriptionId: sub.id,
        subscriptionExpirationDateTime: sub.expirationDateTime,
        tenantId: this.ctx.store.tenant.id,
        clientState: sub.clientState,
        lifecycleEvent: event,
      },
    });
  }

  private onChange(changeType: ChangeType, message: Message): void {
    const path = message.replyToId
      ? `teams('${message.teamId}')/channels('${message.channelId}')/messages('${message.replyToId}')/replies('${message.id}')`
      : `teams('${message.teamId}')/channels('${message.channelId}')/messages('${message.id}')`;
    for (const sub of this.live()) {
      if (sub.teamId !== message.teamId) continue;
      if (sub.channelId && sub.channelId !== message.channelId) continue;
      if (!sub.changeTypes.includes(changeType)) continue;
      const item: Record<string, unknown> = {
        subscriptionId: sub.id,
        changeType,
        clientState: sub.clientState,
        subscriptionExpirationDateTime: sub.expirationDateTime,
        resource: path,
        resourceData: { id: message.id, '@odata.type': '#Microsoft.Graph.chatMessage', '@odata.id': path },
        tenantId: this.ctx.store.tenant.id,
      };
      if (sub.includeResourceData && sub.certificate && sub.encryptionCertificateId) {
        const resource = {
          '@odata.context': `${this.ctx.urls.baseUrl}/v1.0/$metadata#${path}/$entity`,
          ...messageJson(message, this.ctx.store),
        };
        item.encryptedContent = encryptResource(resource, sub.certificate, sub.encryptionCertificateId);
      }
      this.notifier.enqueue({
        kind: 'change',
        url: sub.notificationUrl,
        appId: sub.appId,
        rich: sub.includeResourceData,
        item,
      });
    }
  }

  /**
   * A new transcript notifies getAllTranscripts subscriptions, but only those created before transcription
   * started: Graph sends nothing to a subscription made after that, even once the transcript exists.
   */
  private onTranscript(meeting: Meeting, transcript: SeedTranscript): void {
    const started = Date.parse(transcript.transcriptionStartedDateTime ?? meeting.startDateTime);
    const path = `communications/onlineMeetings('${meeting.id}')/transcripts('${transcript.id}')`;
    for (const sub of this.live()) {
      if (sub.key !== ALL_TRANSCRIPTS_KEY) continue;
      if (Date.parse(sub.createdDateTime) > started) {
        this.ctx.options.log(
          `subscription ${sub.id} not notified of transcript ${transcript.id}: created after transcription started`,
        );
        continue;
      }
      const item: Record<string, unknown> = {
        subscriptionId: sub.id,
        changeType: 'created',
        clientState: sub.clientState,
        subscriptionExpirationDateTime: sub.expirationDateTime,
        resource: path,
        resourceData: {
          id: transcript.id,
          '@odata.type': '#Microsoft.Graph.callTranscript',
          '@odata.id': path,
        },
        tenantId: this.ctx.store.tenant.id,
      };
      if (sub.includeResourceData && sub.certificate && sub.encryptionCertificateId) {
        const resource = {
          '@odata.context': `${this.ctx.urls.baseUrl}/v1.0/$metadata#${path}/$entity`,
          ...transcriptJson(transcript, meeting, this.ctx.store, this.ctx.urls.baseUrl),
        };
        item.encryptedContent = encryptResource(resource, sub.certificate, sub.encryptionCertificateId);
      }
      this.notifier.enqueue({
        kind: 'change',
        url: sub.notificationUrl,
        appId: sub.appId,
        rich: sub.includeResourceData,
        item,
      });
    }
  }

  reset(): void {
    this.all.clear();
  }
}

export function subscriptionsRouter(ctx: EmulatorContext, subscriptions: Subscriptions): Router {
  const router = express.Router();
  router.post('/subscriptions', async (req, res) => {
    const sub = await subscriptions.create(callerOf(res), (req.body ?? {}) as Record<string, unknown>);
    res.status(201).json(subscriptions.json(sub));
  });
  router.get('/subscriptions', (_req, res) => {
    const caller = callerOf(res);
    const mine = [...subscriptions.all.values()].filter(
      (s) => s.appId === caller.app.clientId && Date.parse(s.expirationDateTime) > Date.now(),
    );
    res.json({
      '@odata.context': `${ctx.urls.baseUrl}/v1.0/$metadata#subscriptions`,
      value: mine.map((s) => subscriptions.json(s)),
    });
  });
  router.get('/subscriptions/:id', (req, res) => {
    res.json(subscriptions.json(subscriptions.get(callerOf(res), param(req, 'id'))));
  });
  router.patch('/subscriptions/:id', (req, res) => {
    res.json(
      subscriptions.json(
        subscriptions.renew(callerOf(res), param(req, 'id'), (req.body ?? {}) as Record<string, unknown>),
      ),
    );
  });
  router.delete('/subscriptions/:id', (req, res) => {
    subscriptions.remove(callerOf(res), param(req, 'id'));
    res.status(204).end();
  });
  router.post('/subscriptions/:id/reauthorize', (req, res) => {
    subscriptions.reauthorize(callerOf(res), param(req, 'id'));
    res.status(204).end();
  });
  return router;
}
