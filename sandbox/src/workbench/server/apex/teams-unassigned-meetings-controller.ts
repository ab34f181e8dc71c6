import {
  fromService,
  isBlank,
  text,
  userModeQuery,
  withMessage,
  type ApexClass,
  type ApexContext,
} from './context.ts';
import { requireAdmin } from './teams-bridge-admin-controller.ts';

/** TeamsUnassignedMeetingsController: the meetings the transcript pipeline could not place, and assigning one. */
interface ServiceMeeting {
  meetingId?: unknown;
  transcriptId?: unknown;
  subject?: unknown;
  meetingDate?: unknown;
  reason?: unknown;
  externalDomains?: unknown;
  actionItems?: unknown;
}

function toMeeting(source: ServiceMeeting) {
  const actionItems = (Array.isArray(source.actionItems) ? source.actionItems : []).map(
    (raw: Record<string, unknown>) => ({
      speaker: text(raw.speaker),
      text: text(raw.text),
      owner: text(raw.owner),
      due: text(raw.due),
    }),
  );
  const meetingId = text(source.meetingId);
  const transcriptId = text(source.transcriptId);
  return {
    key: `${meetingId}|${transcriptId}`,
    meetingId,
    transcriptId,
    subject: text(source.subject),
    meetingDate: text(source.meetingDate),
    reason: text(source.reason),
    externalDomains: (Array.isArray(source.externalDomains) ? source.externalDomains : [])
      .map(String)
      .join(', '),
    itemCount: actionItems.length,
    actionItems,
  };
}

async function meetings(status: string, limitSize: unknown, ctx: ApexContext) {
  requireAdmin(ctx);
  const size = typeof limitSize === 'number' && limitSize >= 1 ? Math.min(limitSize, 200) : 50;
  let answer: { items?: unknown };
  try {
    answer = ((await ctx.service.get(`/v1/transcripts/meetings?status=${status}&limit=${size}`)) ?? {}) as {
      items?: unknown;
    };
  } catch (failure) {
    throw fromService(failure);
  }
  return (Array.isArray(answer.items) ? (answer.items as ServiceMeeting[]) : []).map(toMeeting);
}

async function isReadable(ctx: ApexContext, recordId: string): Promise<boolean> {
  const object = recordId.startsWith('006')
    ? 'Opportunity'
    : recordId.startsWith('001')
      ? 'Account'
      : undefined;
  if (!object || !/^[a-zA-Z0-9]{15,18}$/.test(recordId)) return false;
  const rows = await userModeQuery(
    ctx,
    [object],
    `SELECT Id FROM ${object} WHERE Id = '${recordId}' LIMIT 1`,
    () => withMessage('Enter the Id of an Opportunity or Account you can open.'),
  );
  return rows.length > 0;
}

export const teamsUnassignedMeetingsController: ApexClass = {
  name: 'TeamsUnassignedMeetingsController',
  methods: {
    getUnassignedMeetings: ({ limitSize }, ctx) => meetings('unassigned', limitSize, ctx),
    getSkippedMeetings: ({ limitSize }, ctx) => meetings('skipped', limitSize, ctx),
    async assignMeeting({ meetingId, transcriptId, recordId }, ctx) {
      requireAdmin(ctx);
      if (isBlank(meetingId) || isBlank(transcriptId)) throw withMessage('Pick a meeting to assign.');
      if (isBlank(recordId) || !(await isReadable(ctx, String(recordId))))
        throw withMessage('Enter the Id of an Opportunity or Account you can open.');
      let answer: { tasksWritten?: unknown };
      try {
        answer = ((await ctx.service.post('/v1/transcripts/meetings/assign', {
          meetingId,
          transcriptId,
          recordId,
        })) ?? {}) as { tasksWritten?: unknown };
      } catch (failure) {
        throw fromService(failure);
      }
      return typeof answer.tasksWritten === 'number' ? answer.tasksWritten : 0;
    },
  },
};
