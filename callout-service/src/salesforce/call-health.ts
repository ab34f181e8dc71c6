import { errorCode } from './errors.ts';

/**
 * What the last Salesforce calls said about Salesforce itself. An answer that is about the request (a
 * validation error, a spent allocation, a 4xx on one record) proves Salesforce is up; no answer, a 5xx or a
 * session that cannot be renewed means it is not.
 */
export class CallHealth {
  private lastOkAt = 0;
  private failing = false;

  succeeded(now = Date.now()): void {
    this.lastOkAt = now;
    this.failing = false;
  }

  failed(err: unknown, now = Date.now()): void {
    if (isOutage(err)) this.failing = true;
    else this.succeeded(now);
  }

  /** 'ok' when a call succeeded within `trustMs` and none failed since; otherwise a probe must tell. */
  verdict(now: number, trustMs: number): 'ok' | 'unknown' {
    return !this.failing && now - this.lastOkAt < trustMs ? 'ok' : 'unknown';
  }
}

/** Error codes Salesforce answers when it, not the request, is the problem. */
const OUTAGE_CODES = new Set(['UNKNOWN_EXCEPTION', 'SERVER_UNAVAILABLE', 'INVALID_SESSION_ID']);

function isOutage(err: unknown): boolean {
  const code = errorCode(err);
  // jsforce raises API answers with their errorCode (ERROR_HTTP_nnn when the body had none); anything else
  // (no errorCode at all) never got an answer: a refused connection, a timeout, a failed token request.
  if (code === undefined) return true;
  return OUTAGE_CODES.has(code) || /^ERROR_HTTP_(5\d\d|401)$/.test(code);
}
