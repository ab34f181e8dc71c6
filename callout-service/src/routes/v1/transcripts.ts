/**
 * GET /v1/transcripts/meetings?status=unassigned|skipped|tasks|assigned — meeting transcripts handled and what
 * became of them (the admin page's unassigned list, and why others were skipped);
 * POST /v1/transcripts/meetings/assign { meetingId, transcriptId, recordId } — the admin assigns an unassigned
 * meeting to an Opportunity or Account: its action items become Tasks there.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../../store/database.ts';
import type { TranscriptHandler } from '../../transcripts/handle-transcript.ts';
import { listTranscriptMeetings, type MeetingStatus } from '../../transcripts/transcript-store.ts';

const STATUSES = ['unassigned', 'skipped', 'tasks', 'assigned'] as const;
const assignSchema = z.object({
  meetingId: z.string().min(1).max(500),
  transcriptId: z.string().min(1).max(500),
  recordId: z
    .string()
    .regex(
      /^(006|001)[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/,
      'must be an Opportunity (006) or Account (001) id',
    ),
});

function intParam(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw Object.assign(new Error(`${name} must be a whole number from ${min} to ${max}`), { status: 400 });
  }
  return n;
}

export function transcriptsRouter(deps: { pool: Pool; transcripts: TranscriptHandler | undefined }): Router {
  const router = Router();
  router.get('/transcripts/meetings', async (req, res, next) => {
    try {
      const status = req.query.status;
      if (status !== undefined && !STATUSES.includes(status as MeetingStatus)) {
        res
          .status(400)
          .json({ error: { code: 'bad_request', message: `status must be one of ${STATUSES.join(', ')}` } });
        return;
      }
      const page = await listTranscriptMeetings(deps.pool, {
        status: status as MeetingStatus | undefined,
        limit: intParam(req.query.limit, 'limit', 50, 1, 200),
        offset: intParam(req.query.offset, 'offset', 0, 0, 1_000_000),
      });
      res.json({
        items: page.items.map((m) => ({
          meetingId: m.meetingId,
          transcriptId: m.transcriptId,
          subject: m.subject,
          meetingDate: m.meetingDate,
          joinUrl: m.joinUrl,
          status: m.status,
          reason: m.reason,
          recordId: m.recordId,
          externalDomains: m.externalDomains,
          tasksWritten: m.tasksWritten,
          actionItems: m.items.map((i) => ({ speaker: i.speaker, text: i.text, owner: i.owner, due: i.due })),
          updatedAt: m.updatedAt.toISOString(),
        })),
        total: page.total,
      });
    } catch (err) {
      next(err);
    }
  });
  router.post('/transcripts/meetings/assign', async (req, res, next) => {
    try {
      if (!deps.transcripts) {
        res
          .status(503)
          .json({ error: { code: 'transcripts_disabled', message: 'TRANSCRIPTS_ENABLED is false' } });
        return;
      }
      const parsed = assignSchema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({
          error: {
            code: 'bad_request',
            message: parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '),
          },
        });
        return;
      }
      const { meetingId, transcriptId, recordId } = parsed.data;
      const written = await deps.transcripts.assign(meetingId, transcriptId, recordId, randomUUID());
      res.json({ meetingId, transcriptId, recordId, tasksWritten: written });
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404 || status === 409) {
        res.status(status).json({
          error: { code: status === 404 ? 'not_found' : 'not_unassigned', message: (err as Error).message },
        });
        return;
      }
      next(err);
    }
  });
  return router;
}
