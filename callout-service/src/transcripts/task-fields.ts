/** The Salesforce Task for one meeting action item. */
import { createHash } from 'node:crypto';
import { taskKey } from '../inbound/idempotency-key.ts';
import type { TaskRecord } from '../salesforce/task-writer.ts';
import type { ActionItem } from './action-items.ts';
import { formatOffset } from './webvtt.ts';

const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;
const URL_MAX = 255;

export interface MeetingFacts {
  meetingId: string;
  transcriptId: string;
  subject: string | null;
  joinUrl: string | null;
  meetingDate: string;
}

/** The item's rule name in processed_keys: stable for the same words, owner and moment of the meeting. */
export function itemRule(item: ActionItem): string {
  const digest = createHash('sha256').update([item.speaker, item.owner, item.atMs, item.text].join('\u0000'));
  return `transcript:${digest.digest('hex').slice(0, 24)}`;
}

export function itemKey(meeting: MeetingFacts, item: ActionItem): string {
  return taskKey('meeting', meeting.meetingId, meeting.transcriptId, itemRule(item));
}

const truncate = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * Subject = the commitment; Description = the quote, who said it, when in the meeting, the meeting's subject
 * and link. No due date leaves ActivityDate empty (Salesforce accepts null there) rather than inventing one.
 */
export function buildMeetingTask(input: {
  meeting: MeetingFacts;
  item: ActionItem;
  recordId: string;
  ownerId: string;
  ownerName: string;
}): TaskRecord {
  const { meeting, item } = input;
  const at = formatOffset(item.atMs);
  const description = [
    `Action item from the Teams meeting "${meeting.subject ?? 'Untitled meeting'}" (${meeting.meetingDate}), at ${at}:`,
    `${item.speaker}: "${item.text}"`,
    `Owner: ${input.ownerName}${item.due ? ` · due ${item.due}` : ''}`,
    meeting.joinUrl ? `Meeting: ${meeting.joinUrl}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const task = {
    Subject: truncate(`Meeting: ${item.text}`, SUBJECT_MAX),
    Description: truncate(description, DESCRIPTION_MAX),
    WhatId: input.recordId,
    OwnerId: input.ownerId,
    ActivityDate: item.due,
    Priority: 'Normal',
    Status: 'Not Started',
    Teams_Message_Id__c: itemKey(meeting, item),
  } as unknown as TaskRecord;
  if (meeting.joinUrl && meeting.joinUrl.length <= URL_MAX && /^https:\/\//i.test(meeting.joinUrl)) {
    task.Teams_Message_Url__c = meeting.joinUrl;
  }
  return task;
}
