/** One queued transcript to turn into Tasks (one per getAllTranscripts notification). */
import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';

export const TRANSCRIPT_QUEUE = 'meeting-transcript';

export interface TranscriptJob {
  deliveryId: string;
  receivedAt: string;
  subscriptionId: string;
  meetingId: string;
  transcriptId: string;
  /** From the rich notification's callTranscript, else decoded from the meeting id. */
  organizerId: string | null;
}

export function newTranscriptJob(fields: Omit<TranscriptJob, 'deliveryId' | 'receivedAt'>): TranscriptJob {
  return { deliveryId: randomUUID(), receivedAt: new Date().toISOString(), ...fields };
}

export async function enqueueTranscriptJobs(boss: PgBoss, jobs: TranscriptJob[]): Promise<void> {
  if (jobs.length === 0) return;
  // A notification delivered twice makes two jobs; the second finds the transcript's row and stops there.
  await boss.insert(
    TRANSCRIPT_QUEUE,
    jobs.map((data) => ({ data: data as unknown as object })),
  );
}
