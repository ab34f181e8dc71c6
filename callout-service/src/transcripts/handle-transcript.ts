/**
 * The transcript job: policy -> meeting and transcript from Graph -> WebVTT -> action items -> record ->
 * one Task per item. Every transcript leaves a transcript_meetings row saying what happened and why (tasks,
 * unassigned, skipped), which the admin page lists. Idempotent: Task keys are claimed in processed_keys and
 * upserted on Teams_Message_Id__c, as for channel messages.
 */
import { graphStatus, type GraphAdapter } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import type { Pool } from '../store/database.ts';
import { claimKeys, markWritten } from '../store/processed-keys.ts';
import { soqlString, type SalesforceClient } from '../salesforce/connection.ts';
import type { SalesforceDirectory } from '../salesforce/directory.ts';
import { PermanentError } from '../salesforce/errors.ts';
import type { TaskRecord, TaskWriter } from '../salesforce/task-writer.ts';
import type { ActionItem } from './action-items.ts';
import { isTimeZone, meetingDay } from './due-date.ts';
import type { ActionItemExtractor } from './extractor.ts';
import type { TranscriptJob } from './job.ts';
import {
  TranscriptGraph,
  TranscriptTooLargeError,
  attendeesOf,
  externalDomains,
  isAccessPolicyError,
  organizerFromMeetingId,
  type Attendee,
} from './meeting.ts';
import type { RecordMatcher } from './record-match.ts';
import { buildMeetingTask, itemKey, itemRule, type MeetingFacts } from './task-fields.ts';
import {
  getTranscriptMeeting,
  saveTranscriptMeeting,
  type TranscriptMeetingRow,
} from './transcript-store.ts';
import { WebVttError, parseWebVtt, speakerTurns } from './webvtt.ts';

export interface TranscriptPolicy {
  requireMappedOrganizer: boolean;
  requireExternalParticipant: boolean;
  defaultTimeZone: string;
  maxBytes: number;
  tenantId: string;
}

export interface TranscriptHandlerDeps {
  pool: Pool;
  graph: GraphAdapter;
  salesforce: SalesforceClient;
  directory: SalesforceDirectory;
  matcher: RecordMatcher;
  extractor: ActionItemExtractor;
  writer: TaskWriter;
  logger: Logger;
  policy: TranscriptPolicy;
  claimLeaseSeconds: number;
}

export type TranscriptOutcome = 'tasks' | 'unassigned' | 'skipped' | 'duplicate';

export class TranscriptHandler {
  private readonly reads: TranscriptGraph;

  constructor(private readonly deps: TranscriptHandlerDeps) {
    this.reads = new TranscriptGraph(deps.graph);
  }

  async handle(
    job: TranscriptJob,
  ): Promise<{ outcome: TranscriptOutcome; written: number; reason?: string }> {
    const { pool, policy } = this.deps;
    const log = this.deps.logger.child({ meetingId: job.meetingId, transcriptId: job.transcriptId });
    const done = await getTranscriptMeeting(pool, job.meetingId, job.transcriptId);
    // Unassigned and assigned meetings are settled; a skipped one is looked at again (a retried dead letter,
    // a policy changed since), and one with Tasks again only writes what is missing.
    if (done && (done.status === 'unassigned' || done.status === 'assigned')) {
      return { outcome: 'duplicate', written: 0 };
    }

    const organizerId = job.organizerId ?? organizerFromMeetingId(job.meetingId);
    const base: Omit<TranscriptMeetingRow, 'updatedAt'> = {
      meetingId: job.meetingId,
      transcriptId: job.transcriptId,
      organizerId: organizerId ?? 'unknown',
      subject: null,
      joinUrl: null,
      meetingStart: null,
      status: 'skipped',
      reason: null,
      recordId: null,
      externalDomains: [],
      meetingDate: null,
      items: [],
      tasksWritten: 0,
    };
    const skip = async (reason: string, extra: Partial<TranscriptMeetingRow> = {}) => {
      await saveTranscriptMeeting(pool, { ...base, ...extra, status: 'skipped', reason });
      log.info({ reason }, 'meeting transcript skipped');
      return { outcome: 'skipped' as const, written: 0, reason };
    };
    if (!organizerId) return await skip('the meeting id names no organiser');

    const mapping = await this.deps.directory.getUserMapping(organizerId);
    if (policy.requireMappedOrganizer && !mapping?.userId) {
      return await skip(
        'organiser is not mapped to a Salesforce user (TRANSCRIPTS_REQUIRE_MAPPED_ORGANIZER)',
      );
    }

    let meeting;
    try {
      meeting = await this.reads.meeting(organizerId, job.meetingId);
    } catch (err) {
      if (isAccessPolicyError(err)) {
        await skip('no application access policy covers the organiser (Grant-CsApplicationAccessPolicy)');
        // A dead letter the admin can retry once the policy is granted.
        throw new PermanentError(
          `Graph refused the meeting: ${(err as Error).message} Grant the app's application access policy to the organiser.`,
          'NO_APPLICATION_ACCESS_POLICY',
        );
      }
      if (graphStatus(err) === 404) return await skip('the meeting no longer exists in Graph');
      throw err;
    }
    const attendees = await this.named(attendeesOf(meeting, policy.tenantId));
    const domains = externalDomains(attendees);
    Object.assign(base, {
      subject: meeting.subject ?? null,
      joinUrl: meeting.joinWebUrl ?? null,
      meetingStart: meeting.startDateTime ? new Date(meeting.startDateTime) : null,
      externalDomains: domains,
    });
    if (policy.requireExternalParticipant && !attendees.some((a) => a.external)) {
      return await skip('no external participant (TRANSCRIPTS_REQUIRE_EXTERNAL_PARTICIPANT)');
    }

    let vtt: string;
    try {
      vtt = await this.reads.content(organizerId, job.meetingId, job.transcriptId, policy.maxBytes);
    } catch (err) {
      if (graphStatus(err) === 404) return await skip('the transcript no longer exists in Graph');
      if (err instanceof TranscriptTooLargeError) return await skip(err.message);
      throw err;
    }
    let turns;
    try {
      turns = speakerTurns(parseWebVtt(vtt).cues);
    } catch (err) {
      if (err instanceof WebVttError) return await skip(`transcript is not WebVTT: ${err.message}`);
      throw err;
    }

    const timeZone = await this.timeZoneOf(mapping?.userId ?? null);
    const meetingDate = meetingDay(base.meetingStart ?? new Date(), timeZone);
    const names = attendees.map((a) => a.displayName).filter((n): n is string => !!n);
    const extraction = await this.deps.extractor.extract({ turns, meetingDate, attendees: names });
    for (const note of extraction.notes) log.warn({ note }, 'action-item extraction note');
    base.items = extraction.items;
    base.meetingDate = meetingDate;
    if (extraction.items.length === 0) return await skip('no action items in the transcript');

    const match = await this.deps.matcher.match(meeting.chatInfo?.threadId ?? null, domains);
    if (match.recordId === null) {
      await saveTranscriptMeeting(pool, { ...base, status: 'unassigned', reason: match.reason });
      log.info({ reason: match.reason, items: extraction.items.length }, 'meeting transcript unassigned');
      return { outcome: 'unassigned', written: 0, reason: match.reason };
    }
    const written = await this.writeTasks(job.deliveryId, base, match.recordId, attendees);
    await saveTranscriptMeeting(pool, {
      ...base,
      status: 'tasks',
      reason: `matched by ${match.how}`,
      recordId: match.recordId,
      tasksWritten: (done?.tasksWritten ?? 0) + written,
    });
    log.info({ recordId: match.recordId, how: match.how, written }, 'meeting action items written');
    return { outcome: 'tasks', written };
  }

  /** The admin assigned an unassigned meeting to a record: its stored items become Tasks there. */
  async assign(
    meetingId: string,
    transcriptId: string,
    recordId: string,
    deliveryId: string,
  ): Promise<number> {
    const row = await getTranscriptMeeting(this.deps.pool, meetingId, transcriptId);
    if (!row)
      throw Object.assign(new Error(`no meeting transcript ${meetingId} / ${transcriptId}`), { status: 404 });
    if (row.status !== 'unassigned') {
      throw Object.assign(new Error(`meeting transcript is ${row.status}, not unassigned`), { status: 409 });
    }
    const owner = await this.deps.directory.getRecordOwner(recordId);
    if (!owner) throw Object.assign(new Error(`record ${recordId} was not found`), { status: 404 });
    const written = await this.writeTasks(deliveryId, row, recordId, []);
    await saveTranscriptMeeting(this.deps.pool, {
      ...row,
      status: 'assigned',
      reason: 'assigned by an admin',
      recordId,
      tasksWritten: row.tasksWritten + written,
    });
    return written;
  }

  private async writeTasks(
    deliveryId: string,
    row: Omit<TranscriptMeetingRow, 'updatedAt'>,
    recordId: string,
    attendees: Attendee[],
  ): Promise<number> {
    const meeting: MeetingFacts = {
      meetingId: row.meetingId,
      transcriptId: row.transcriptId,
      subject: row.subject,
      joinUrl: row.joinUrl,
      meetingDate: row.meetingDate ?? new Date().toISOString().slice(0, 10),
    };
    const claims = await claimKeys(
      this.deps.pool,
      row.items.map((item) => ({
        key: itemKey(meeting, item),
        teamId: 'meeting',
        channelId: row.meetingId,
        messageId: row.transcriptId,
        rule: itemRule(item),
      })),
      deliveryId,
      this.deps.claimLeaseSeconds,
    );
    const mine = row.items.filter((item) => claims.get(itemKey(meeting, item)) === 'claimed');
    const recordOwner = await this.deps.directory.getRecordOwner(recordId);
    if (!recordOwner) throw new Error(`record ${recordId} has no owner`);
    const tasks: TaskRecord[] = [];
    for (const item of mine) {
      const ownerName = item.owner === 'speaker' ? item.speaker : item.owner;
      const ownerId = (await this.mappedUser(ownerName, attendees)) ?? recordOwner;
      tasks.push(buildMeetingTask({ meeting, item, recordId, ownerId, ownerName }));
    }
    const results = await Promise.all(tasks.map((t) => this.deps.writer.write(t)));
    await markWritten(
      this.deps.pool,
      results.map((r, i) => ({ key: tasks[i]!.Teams_Message_Id__c, taskId: r.id })),
    );
    return results.length;
  }

  /** The Salesforce user mapped to the attendee of that name, if any. */
  private async mappedUser(name: string, attendees: Attendee[]): Promise<string | null> {
    const attendee = attendees.find((a) => !a.external && a.id && a.displayName === name);
    if (!attendee?.id) return null;
    return (await this.deps.directory.getUserMapping(attendee.id))?.userId ?? null;
  }

  /** Graph leaves internal attendees' display names empty in onlineMeeting: read them from /users. */
  private async named(attendees: Attendee[]): Promise<Attendee[]> {
    return await Promise.all(
      attendees.map(async (a) => {
        if (a.displayName || a.external || !a.id) return a;
        try {
          return { ...a, displayName: (await this.deps.graph.getUser(a.id)).displayName ?? null };
        } catch (err) {
          if (graphStatus(err) === 404) return a;
          throw err;
        }
      }),
    );
  }

  private async timeZoneOf(userId: string | null): Promise<string> {
    if (userId) {
      const rows = await this.deps.salesforce.query(
        `SELECT TimeZoneSidKey FROM User WHERE Id = ${soqlString(userId)} LIMIT 1`,
        'organizerTimeZone',
      );
      const zone = rows[0]?.TimeZoneSidKey;
      if (typeof zone === 'string' && isTimeZone(zone)) return zone;
    }
    return this.deps.policy.defaultTimeZone;
  }
}

export type { ActionItem };
