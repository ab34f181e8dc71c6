import { randomBytes } from 'node:crypto';
import type { Connection } from 'jsforce';
import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import { ALL_TRANSCRIPTS_RESOURCE } from '@teams-bridge/callout-service/src/transcripts/transcript-subscription.ts';
import type { DemoMeetings } from '../../demo-data.ts';
import { quote } from './apex/context.ts';
import { meetingScripts, toWebVtt, type MeetingScript } from './meeting-transcripts.ts';
import type { ServiceClient } from './service-client.ts';

/** A row of the service's GET /v1/transcripts/meetings. */
interface HandledMeeting {
  meetingId: string;
  transcriptId: string;
  status: 'tasks' | 'assigned' | 'unassigned' | 'skipped';
  reason: string | null;
  recordId: string | null;
  tasksWritten: number;
  actionItems: { speaker: string; text: string; owner: string; due: string | null }[];
}

export interface TranscriptRun {
  outcome: HandledMeeting['status'];
  subject: string;
  meetingId: string;
  transcriptId: string;
  recordId: string | null;
  recordName: string | null;
  tasksWritten: number;
  actionItems: HandledMeeting['actionItems'];
  reason: string | null;
  /** What the panel says happened. */
  message: string;
}

/** The service's `reason` for a placed meeting, in words. */
const HOW: Record<string, string> = {
  'matched by account-domain': "an external attendee's email domain matches its Account",
  'matched by linked-chat': 'the meeting chat is linked to it',
  'assigned by an admin': 'assigned by an admin',
};
const status = (message: string, code: number) => Object.assign(new Error(message), { status: code });
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * "Run a meeting transcript": the meeting happens in the Graph stand-in (organised by the mapped demo user),
 * its transcript becomes available and Graph notifies the service's getAllTranscripts subscription as it
 * does; the service reads the meeting and the WebVTT, and writes Tasks or lists the meeting for the admin.
 * The run waits for the service's verdict (GET /v1/transcripts/meetings) to say what became of it.
 */
export function transcriptSimulation(deps: {
  graph: GraphEmulator;
  service: ServiceClient;
  /** null: the service runs with TRANSCRIPTS_ENABLED=false. */
  meetings: DemoMeetings | null;
  timeoutMs?: number;
}) {
  const { graph, service, meetings } = deps;
  const scripts: MeetingScript[] = meetings
    ? meetingScripts({
        organizer: meetings.organizer.displayName,
        colleague: meetings.colleague.displayName,
        customer: meetings.customer,
        prospect: meetings.prospect,
      })
    : [];

  async function verdict(meetingId: string, transcriptId: string): Promise<HandledMeeting> {
    const deadline = Date.now() + (deps.timeoutMs ?? 30_000);
    for (;;) {
      const page = (await service.get('/v1/transcripts/meetings?limit=200')) as { items?: HandledMeeting[] };
      const row = page.items?.find((m) => m.meetingId === meetingId && m.transcriptId === transcriptId);
      if (row) return row;
      if (Date.now() > deadline) {
        throw status(
          `The service has not handled the transcript within ${Math.round((deps.timeoutMs ?? 30_000) / 1000)} s ` +
            "(its transcript queue may be busy or failing: see the setup tab's failed jobs and the service log).",
          504,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function nameOf(conn: Connection, recordId: string): Promise<string | null> {
    const object = recordId.startsWith('006') ? 'Opportunity' : recordId.startsWith('001') ? 'Account' : null;
    if (!object) return null;
    try {
      const [row] = (
        await conn.query<{ Name: string }>(`SELECT Name FROM ${object} WHERE Id = ${quote(recordId)}`)
      ).records;
      return row?.Name ?? null;
    } catch {
      return null; // a persona without access to the object still sees the outcome, by record id
    }
  }

  function describe(run: Omit<TranscriptRun, 'message'>): string {
    const items = plural(run.actionItems.length, 'action item');
    switch (run.outcome) {
      case 'tasks':
      case 'assigned':
        return `${items} → ${plural(run.tasksWritten, 'Task')} on ${run.recordName ?? run.recordId} (${HOW[run.reason ?? ''] ?? run.reason}): see its related Tasks.`;
      case 'unassigned':
        return `${items}, but no Account matched (${run.reason ?? 'no match'}): see Unassigned meetings on the setup tab.`;
      case 'skipped':
        return `No Tasks: ${run.reason ?? 'skipped'}. See Skipped under Unassigned meetings on the setup tab.`;
    }
  }

  return {
    /** The meetings the panel offers (none when the service runs without transcripts). */
    list() {
      return {
        enabled: meetings !== null,
        transcripts: scripts.map((s) => ({ key: s.key, subject: s.subject, summary: s.summary })),
      };
    },

    async run(conn: Connection, input: { key?: unknown }): Promise<TranscriptRun> {
      if (!meetings) {
        throw status(
          'The service runs with TRANSCRIPTS_ENABLED=false: it has no getAllTranscripts subscription, so no meeting reaches it.',
          409,
        );
      }
      const script = scripts.find((s) => s.key === input.key);
      if (!script) {
        throw status(`Pick one of the meetings: ${scripts.map((s) => s.key).join(', ')}.`, 400);
      }
      if (!graph.control.subscriptions().some((s) => s.resource === ALL_TRANSCRIPTS_RESOURCE)) {
        throw status(
          "The Graph stand-in has no getAllTranscripts subscription (the service's subscription manager keeps one): Graph would notify nobody.",
          409,
        );
      }
      // A Teams meeting id is base64 of 1*{organiser id}*0**{chat thread id}; the service reads the organiser from it.
      const thread = `19:meeting_${randomBytes(12).toString('hex')}@thread.v2`;
      const meetingId = Buffer.from(`1*${meetings.organizer.id}*0**${thread}`).toString('base64');
      const now = Date.now();
      graph.control.addMeeting({
        id: meetingId,
        organizerId: meetings.organizer.id,
        subject: script.subject,
        startDateTime: new Date(now - 30 * 60_000).toISOString(),
        endDateTime: new Date(now).toISOString(),
        participants: [meetings.colleague.id],
        externalParticipants: script.external,
      });
      // Graph notifies only subscriptions that existed when transcription started; the service's was made at
      // the sandbox's start, so the transcription here starts now rather than with the meeting on paper.
      const { id: transcriptId } = graph.control.addTranscript({
        meetingId,
        content: toWebVtt(script),
        transcriptionStartedDateTime: new Date(now).toISOString(),
      });
      const row = await verdict(meetingId, transcriptId);
      const run = {
        outcome: row.status,
        subject: script.subject,
        meetingId,
        transcriptId,
        recordId: row.recordId,
        recordName: row.recordId ? await nameOf(conn, row.recordId) : null,
        tasksWritten: row.tasksWritten,
        actionItems: row.actionItems,
        reason: row.reason,
      };
      return { ...run, message: describe(run) };
    },
  };
}
