import { createHash } from 'node:crypto';

/**
 * The idempotency key of one Task: a stable hash of team, channel, message and rule. 68 characters, so it
 * fits Task.Teams_Message_Id__c (Text(255)) whatever the length of Graph's ids. The prefix names the scheme
 * version, so a future change of scheme cannot collide with today's keys.
 */
export function taskKey(
  teamId: string,
  channelId: string,
  messageId: string,
  ruleDeveloperName: string,
): string {
  const digest = createHash('sha256')
    .update([teamId, channelId, messageId, ruleDeveloperName].join('\u0000'))
    .digest('hex');
  return `tb1_${digest}`;
}
