/**
 * What a failed send means. Teams answers 4xx only for requests it did not carry out, so those are known not
 * to be posted; a 5xx, a timeout or a lost connection may have been posted (the next attempt looks first).
 * The bot limits doc asks for retries on 412, 429, 502 and 504
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit).
 */
export type SendOutcome =
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'not-installed'; message: string }
  | { kind: 'permanent'; message: string }
  | { kind: 'retry'; notPosted: boolean; message: string };

export function classifySendError(err: unknown): SendOutcome {
  const e = err as {
    response?: {
      status?: number;
      headers?: Record<string, unknown>;
      data?: { error?: { code?: string; message?: string } };
    };
    status?: number;
    message?: string;
  };
  const status = e.response?.status ?? e.status;
  const code = e.response?.data?.error?.code;
  const detail = `${status ?? 'no answer'}${code ? ` ${code}` : ''}: ${e.response?.data?.error?.message ?? e.message ?? 'unknown error'}`;
  if (status === 429) {
    const raw = Number(e.response?.headers?.['retry-after']);
    return { kind: 'throttled', retryAfterSeconds: Number.isFinite(raw) && raw > 0 ? raw : 1 };
  }
  if (status === 403 && code === 'BotNotInConversationRoster') {
    return {
      kind: 'not-installed',
      message: `the app is not installed in this team (${detail}): add it to the team`,
    };
  }
  if (status === 404) {
    return {
      kind: 'permanent',
      message: `the channel is gone in Teams (${detail}): link the record to another channel`,
    };
  }
  if (status === 413) {
    return { kind: 'permanent', message: `the card is larger than Teams accepts (${detail})` };
  }
  if (status === 412) return { kind: 'retry', notPosted: true, message: detail };
  if (status !== undefined && status >= 400 && status < 500) {
    return { kind: 'permanent', message: `Teams refused the post (${detail})` };
  }
  return { kind: 'retry', notPosted: false, message: detail };
}
