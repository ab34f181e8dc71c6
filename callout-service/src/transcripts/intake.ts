/**
 * The webhook's transcript half: a getAllTranscripts notification is accepted when it names the stored
 * tenant subscription and carries its clientState, then queued as one transcript job. Nothing here calls
 * Graph or Salesforce.
 */
import type { PgBoss } from 'pg-boss';
import { clientStateMatches, type ChangeNotification } from '../graph/notifications.ts';
import type { Logger } from '../logger.ts';
import type { Pool } from '../store/database.ts';
import { enqueueTranscriptJobs, newTranscriptJob, type TranscriptJob } from './job.ts';
import { organizerFromMeetingId, parseTranscriptResource } from './meeting.ts';
import { getTranscriptSubscription } from './transcript-store.ts';

export class TranscriptIntake {
  constructor(
    private readonly pool: Pool,
    private readonly boss: PgBoss,
    private readonly logger: Logger,
  ) {}

  /** Splits off the transcript notifications; returns their jobs and the notifications left for channels. */
  async accept(
    notifications: ChangeNotification[],
  ): Promise<{ jobs: TranscriptJob[]; rest: ChangeNotification[] }> {
    const mine = notifications.filter(
      (n) => !n.lifecycleEvent && /^\/?communications\/onlineMeetings/.test(n.resource ?? ''),
    );
    if (mine.length === 0) return { jobs: [], rest: notifications };
    const rest = notifications.filter((n) => !mine.includes(n));
    const subscription = await getTranscriptSubscription(this.pool);
    const jobs: TranscriptJob[] = [];
    for (const n of mine) {
      const ref = parseTranscriptResource(n.resource ?? '');
      const reason =
        !subscription || n.subscriptionId !== subscription.id
          ? 'unknown-subscription'
          : !clientStateMatches(n.clientState, subscription.clientState)
            ? 'client-state'
            : !ref
              ? 'unsupported-resource'
              : n.changeType && n.changeType !== 'created'
                ? 'change-type'
                : undefined;
      if (reason) {
        this.logger.warn({ subscriptionId: n.subscriptionId, reason }, 'transcript notification discarded');
        continue;
      }
      jobs.push(
        newTranscriptJob({
          subscriptionId: n.subscriptionId,
          meetingId: ref!.meetingId,
          transcriptId: ref!.transcriptId,
          organizerId: organizerFromMeetingId(ref!.meetingId) ?? null,
        }),
      );
    }
    return { jobs, rest };
  }

  async enqueue(jobs: TranscriptJob[]): Promise<void> {
    await enqueueTranscriptJobs(this.boss, jobs);
  }
}
