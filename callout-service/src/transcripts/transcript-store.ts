/** PostgreSQL rows of the transcript pipeline: the tenant subscription and each transcript's outcome. */
import type { Pool } from '../store/database.ts';
import type { ActionItem } from './action-items.ts';

export interface TranscriptSubscriptionRow {
  id: string;
  clientState: string;
  expiration: Date | null;
  lastError: string | null;
}

export async function getTranscriptSubscription(pool: Pool): Promise<TranscriptSubscriptionRow | undefined> {
  const { rows } = await pool.query<{
    id: string;
    client_state: string;
    expiration: Date | null;
    last_error: string | null;
  }>('SELECT id, client_state, expiration, last_error FROM transcript_subscription');
  const r = rows[0];
  return r
    ? { id: r.id, clientState: r.client_state, expiration: r.expiration, lastError: r.last_error }
    : undefined;
}

export async function saveTranscriptSubscription(
  pool: Pool,
  row: { id: string; clientState: string; expiration: Date | null },
): Promise<void> {
  await pool.query(
    `INSERT INTO transcript_subscription (singleton, id, client_state, expiration, last_error)
     VALUES (true, $1, $2, $3, NULL)
     ON CONFLICT (singleton) DO UPDATE SET id = $1, client_state = $2, expiration = $3, last_error = NULL,
       updated_at = now()`,
    [row.id, row.clientState, row.expiration],
  );
}

export async function noteTranscriptSubscriptionError(pool: Pool, error: string): Promise<void> {
  await pool.query('UPDATE transcript_subscription SET last_error = $1, updated_at = now()', [
    error.slice(0, 2000),
  ]);
}

export type MeetingStatus = 'tasks' | 'unassigned' | 'skipped' | 'assigned';

export interface TranscriptMeetingRow {
  meetingId: string;
  transcriptId: string;
  organizerId: string;
  subject: string | null;
  joinUrl: string | null;
  meetingStart: Date | null;
  status: MeetingStatus;
  reason: string | null;
  recordId: string | null;
  externalDomains: string[];
  meetingDate: string | null;
  items: ActionItem[];
  tasksWritten: number;
  updatedAt: Date;
}

interface DbRow {
  meeting_id: string;
  transcript_id: string;
  organizer_id: string;
  subject: string | null;
  join_url: string | null;
  meeting_start: Date | null;
  status: MeetingStatus;
  reason: string | null;
  record_id: string | null;
  external_domains: string[];
  meeting_date: string | null;
  items: ActionItem[];
  tasks_written: number;
  updated_at: Date;
}

const COLUMNS = `meeting_id, transcript_id, organizer_id, subject, join_url, meeting_start, status, reason, record_id,
  external_domains, to_char(meeting_date, 'YYYY-MM-DD') AS meeting_date, items, tasks_written, updated_at`;

const toRow = (r: DbRow): TranscriptMeetingRow => ({
  meetingId: r.meeting_id,
  transcriptId: r.transcript_id,
  organizerId: r.organizer_id,
  subject: r.subject,
  joinUrl: r.join_url,
  meetingStart: r.meeting_start,
  status: r.status,
  reason: r.reason,
  recordId: r.record_id,
  externalDomains: r.external_domains,
  meetingDate: r.meeting_date,
  items: r.items,
  tasksWritten: r.tasks_written,
  updatedAt: r.updated_at,
});

export async function getTranscriptMeeting(
  pool: Pool,
  meetingId: string,
  transcriptId: string,
): Promise<TranscriptMeetingRow | undefined> {
  const { rows } = await pool.query<DbRow>(
    `SELECT ${COLUMNS} FROM transcript_meetings WHERE meeting_id = $1 AND transcript_id = $2`,
    [meetingId, transcriptId],
  );
  return rows[0] ? toRow(rows[0]) : undefined;
}

export async function saveTranscriptMeeting(
  pool: Pool,
  row: Omit<TranscriptMeetingRow, 'updatedAt'>,
): Promise<void> {
  await pool.query(
    `INSERT INTO transcript_meetings (meeting_id, transcript_id, organizer_id, subject, join_url, meeting_start,
       status, reason, record_id, external_domains, meeting_date, items, tasks_written)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (meeting_id, transcript_id) DO UPDATE SET organizer_id = $3, subject = $4, join_url = $5,
       meeting_start = $6, status = $7, reason = $8, record_id = $9, external_domains = $10, meeting_date = $11,
       items = $12, tasks_written = $13, updated_at = now()`,
    [
      row.meetingId,
      row.transcriptId,
      row.organizerId,
      row.subject,
      row.joinUrl,
      row.meetingStart,
      row.status,
      row.reason,
      row.recordId,
      row.externalDomains,
      row.meetingDate,
      JSON.stringify(row.items),
      row.tasksWritten,
    ],
  );
}

export async function listTranscriptMeetings(
  pool: Pool,
  filter: { status?: MeetingStatus; limit: number; offset: number },
): Promise<{ items: TranscriptMeetingRow[]; total: number }> {
  const where = filter.status ? 'WHERE status = $3' : '';
  const params: unknown[] = [filter.limit, filter.offset, ...(filter.status ? [filter.status] : [])];
  const { rows } = await pool.query<DbRow & { total: string }>(
    `SELECT ${COLUMNS}, count(*) OVER () AS total FROM transcript_meetings ${where}
     ORDER BY updated_at DESC LIMIT $1 OFFSET $2`,
    params,
  );
  return { items: rows.map(toRow), total: Number(rows[0]?.total ?? 0) };
}
