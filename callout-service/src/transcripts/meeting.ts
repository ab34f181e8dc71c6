/**
 * Graph reads for one transcript: the onlineMeeting (subject, organiser, participants, chatInfo, joinWebUrl),
 * the callTranscript metadata and its WebVTT content (`$format=text/vtt`). All app-only: each needs the
 * organiser to be covered by the Teams application access policy naming this app.
 */
import { ResponseType } from '@microsoft/microsoft-graph-client';
import type { GraphAdapter } from '../graph/client.ts';
import { graphStatus } from '../graph/client.ts';

interface IdentitySet {
  user?: { id?: string | null; displayName?: string | null; tenantId?: string | null } | null;
  guest?: { id?: string | null; displayName?: string | null } | null;
  phone?: { id?: string | null; displayName?: string | null } | null;
}
export interface MeetingParticipant {
  upn?: string | null;
  role?: string | null;
  identity?: IdentitySet | null;
}
export interface OnlineMeeting {
  id: string;
  subject?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  joinWebUrl?: string | null;
  participants?: { organizer?: MeetingParticipant | null; attendees?: MeetingParticipant[] | null } | null;
  chatInfo?: { threadId?: string | null; messageId?: string | null } | null;
}
export interface CallTranscript {
  id: string;
  meetingId?: string | null;
  createdDateTime?: string | null;
  endDateTime?: string | null;
  meetingOrganizer?: { user?: { id?: string | null } | null } | null;
}

export class TranscriptTooLargeError extends Error {}

/** Graph's answer when no application access policy covers the organiser. */
export function isAccessPolicyError(err: unknown): boolean {
  return graphStatus(err) === 403 && /application access policy/i.test((err as Error).message ?? '');
}

/**
 * The organiser's object id from a Teams meeting id: the id is base64 of `1*{organizerId}*0**{threadId}`.
 * Graph's notification names only the meeting and transcript, and every read is by organiser.
 */
export function organizerFromMeetingId(meetingId: string): string | undefined {
  const decoded = Buffer.from(meetingId.replace(/\*+$/, ''), 'base64').toString('utf8');
  const m = /^\d+\*([0-9a-f-]{36})\*/i.exec(decoded);
  return m?.[1];
}

/** The notification's resource: `communications/onlineMeetings('{meetingId}')/transcripts('{transcriptId}')`. */
export function parseTranscriptResource(
  resource: string,
): { meetingId: string; transcriptId: string } | undefined {
  const m = /^\/?communications\/onlineMeetings\('([^']+)'\)\/transcripts\('([^']+)'\)$/.exec(resource);
  return m ? { meetingId: decodeURIComponent(m[1]!), transcriptId: decodeURIComponent(m[2]!) } : undefined;
}

export interface Attendee {
  id: string | null;
  displayName: string | null;
  email: string | null;
  external: boolean;
}

/** Everyone in the meeting; external = another tenant, a guest, or a phone participant. */
export function attendeesOf(meeting: OnlineMeeting, tenantId: string): Attendee[] {
  const people = [meeting.participants?.organizer, ...(meeting.participants?.attendees ?? [])].filter(
    (p): p is MeetingParticipant => !!p,
  );
  return people.map((p) => {
    const user = p.identity?.user;
    const other = p.identity?.guest ?? p.identity?.phone;
    const external = user
      ? !!user.tenantId && user.tenantId.toLowerCase() !== tenantId.toLowerCase()
      : !!other;
    return {
      id: user?.id ?? other?.id ?? null,
      displayName: user?.displayName ?? other?.displayName ?? null,
      email: p.upn ?? null,
      external,
    };
  });
}

/** Email domains of the external attendees (lower case, unique). */
export function externalDomains(attendees: Attendee[]): string[] {
  const domains = attendees
    .filter((a) => a.external && a.email?.includes('@'))
    .map((a) => a.email!.split('@')[1]!.toLowerCase());
  return [...new Set(domains)];
}

export class TranscriptGraph {
  constructor(private readonly graph: GraphAdapter) {}

  private path(organizerId: string, meetingId: string): string {
    return `/users/${encodeURIComponent(organizerId)}/onlineMeetings/${encodeURIComponent(meetingId)}`;
  }

  async meeting(organizerId: string, meetingId: string): Promise<OnlineMeeting> {
    return (await this.graph.client.api(this.path(organizerId, meetingId)).get()) as OnlineMeeting;
  }

  async transcript(organizerId: string, meetingId: string, transcriptId: string): Promise<CallTranscript> {
    return (await this.graph.client
      .api(`${this.path(organizerId, meetingId)}/transcripts/${encodeURIComponent(transcriptId)}`)
      .get()) as CallTranscript;
  }

  /** The WebVTT text; refuses more than `maxBytes` (a two-hour meeting is a few hundred KB). */
  async content(
    organizerId: string,
    meetingId: string,
    transcriptId: string,
    maxBytes: number,
  ): Promise<string> {
    const response = (await this.graph.client
      .api(`${this.path(organizerId, meetingId)}/transcripts/${encodeURIComponent(transcriptId)}/content`)
      .query({ $format: 'text/vtt' })
      .responseType(ResponseType.RAW)
      .get()) as Response;
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new TranscriptTooLargeError(
        `transcript is ${declared} bytes, above TRANSCRIPT_MAX_BYTES ${maxBytes}`,
      );
    }
    if (!response.ok) {
      const body = await response.text();
      throw Object.assign(
        new Error(`transcript content: Graph answered ${response.status} ${body.slice(0, 200)}`),
        {
          statusCode: response.status,
        },
      );
    }
    const text = await response.text();
    if (Buffer.byteLength(text) > maxBytes) {
      throw new TranscriptTooLargeError(`transcript is above TRANSCRIPT_MAX_BYTES ${maxBytes}`);
    }
    return text;
  }
}
