/**
 * Posting through a Teams Workflows webhook ("Post to a channel when a webhook request is received"): the
 * card as a `message` with one Adaptive Card attachment; 202 Accepted is success (no message id comes back).
 * Messages over about 28 KB fail with "Request Entity Too Large"
 * (https://learn.microsoft.com/en-us/connectors/teams/#known-issues-and-limitations-with-actions), so the size
 * is checked before anything is sent. The URL carries the flow's `sig`: it never goes into a message or a log.
 */
import { CARD_CONTENT_TYPE } from './card.ts';
import type { SendOutcome } from './post-errors.ts';

export const WORKFLOWS_MAX_MESSAGE_BYTES = 28 * 1024;

export class WorkflowsPostError extends Error {
  constructor(
    message: string,
    readonly outcome: SendOutcome,
  ) {
    super(message);
  }
}

export function workflowsBody(card: object): string {
  return JSON.stringify({
    type: 'message',
    attachments: [{ contentType: CARD_CONTENT_TYPE, contentUrl: null, content: card }],
  });
}

export async function postToWorkflows(webhookUrl: string, card: object, timeoutMs = 15_000): Promise<void> {
  const body = workflowsBody(card);
  const bytes = Buffer.byteLength(body);
  if (bytes > WORKFLOWS_MAX_MESSAGE_BYTES) {
    const message = `the card is ${bytes} bytes, over the ${WORKFLOWS_MAX_MESSAGE_BYTES}-byte Workflows message limit: not sent`;
    throw new WorkflowsPostError(message, { kind: 'permanent', message });
  }
  let response: Response;
  try {
    response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    // The cause only (a fetch error can quote the URL).
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    const message = `the Workflows webhook did not answer (${cause})`;
    throw new WorkflowsPostError(message, { kind: 'retry', notPosted: false, message });
  }
  const text = (await response.text().catch(() => '')).slice(0, 300);
  if (response.status === 202) return;
  const detail = `Workflows webhook answered ${response.status}${text ? `: ${text}` : ''}`;
  if (response.status === 429) {
    const raw = Number(response.headers.get('retry-after'));
    throw new WorkflowsPostError(detail, {
      kind: 'throttled',
      retryAfterSeconds: Number.isFinite(raw) && raw > 0 ? raw : 1,
    });
  }
  if (response.status === 413) {
    const message = `the card is larger than the Workflows webhook accepts (${detail})`;
    throw new WorkflowsPostError(message, { kind: 'permanent', message });
  }
  if (response.status >= 400 && response.status < 500) {
    const message = `the Workflows webhook refused the post (${detail}): check the channel's webhook URL`;
    throw new WorkflowsPostError(message, { kind: 'permanent', message });
  }
  // A 5xx (or an unexpected 2xx such as 200) may have run the flow: the next attempt looks first.
  throw new WorkflowsPostError(detail, { kind: 'retry', notPosted: false, message: detail });
}
