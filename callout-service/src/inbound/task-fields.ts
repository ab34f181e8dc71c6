import type { GraphChatMessage } from '../graph/client.ts';
import type { ChannelLink } from '../salesforce/directory.ts';
import type { TaskRecord } from '../salesforce/task-writer.ts';
import { plainName, plainText } from './plain-text.ts';
import type { RuleMatch } from './rules.ts';

const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;
const URL_MAX = 255;

export interface TaskInput {
  key: string;
  match: RuleMatch;
  link: ChannelLink;
  message: GraphChatMessage;
  text: string;
  sender: { name: string; email: string | null };
  ownerId: string;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(term|channel|sender|rule)\}/g, (_, name: string) => values[name] ?? '');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** YYYY-MM-DD of the message's UTC date plus `days`. */
export function activityDate(createdDateTime: string | undefined, days: number): string {
  const base = createdDateTime ? new Date(createdDateTime) : new Date();
  const date = Number.isNaN(base.getTime()) ? new Date() : base;
  const due = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
  return due.toISOString().slice(0, 10);
}

function usableUrl(url: string | null | undefined): string | undefined {
  return url && url.length <= URL_MAX && /^https:\/\//i.test(url) ? url : undefined;
}

/** The Task for one (message, rule), with the fields issue 4 names. */
export function buildTask(input: TaskInput): TaskRecord {
  const { match, link, message } = input;
  const channel = plainName(link.channelName ?? link.name);
  const teamName = link.teamName ? plainName(link.teamName) : '';
  const sender = plainName(input.sender.name) || 'Unknown sender';
  const subject = fill(match.rule.subjectTemplate, {
    term: match.term,
    channel,
    sender,
    rule: match.rule.label,
  });
  const flagged = match.rule.action === 'Flag';
  const description = [
    `From: ${sender}${input.sender.email ? ` <${plainName(input.sender.email)}>` : ''}`,
    `Channel: ${teamName ? `${teamName} / ` : ''}${channel}`,
    `Posted: ${message.createdDateTime ?? 'unknown'}`,
    `Rule: ${match.rule.label} (matched "${match.term}")${flagged ? ' [flag]' : ''}`,
    '',
    plainText(input.text),
  ].join('\n');
  const task: TaskRecord = {
    Subject: truncate(flagged ? `Flag: ${subject}` : subject, SUBJECT_MAX),
    Description: truncate(description, DESCRIPTION_MAX),
    WhatId: link.recordId!,
    OwnerId: input.ownerId,
    ActivityDate: activityDate(message.createdDateTime, match.rule.dueInDays),
    Priority: flagged ? 'Low' : match.rule.priority,
    Status: 'Not Started',
    Teams_Message_Id__c: input.key,
  };
  const url = usableUrl(message.webUrl) ?? usableUrl(link.webUrl);
  if (url) task.Teams_Message_Url__c = url;
  return task;
}
