/** Salesforce refused work because the org's daily API allocation is spent; writes pause until `retryAt`. */
export class LimitExceededError extends Error {
  constructor(readonly retryAt: Date) {
    super(`Salesforce REQUEST_LIMIT_EXCEEDED: writes paused until ${retryAt.toISOString()}`);
    this.name = 'LimitExceededError';
  }
}

/** A failure that will not go away by retrying (bad field, validation rule, bad reference). */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

export function errorCode(err: unknown): string | undefined {
  const e = err as { errorCode?: unknown; name?: unknown } | null;
  if (typeof e?.errorCode === 'string') return e.errorCode;
  return undefined;
}

/** Per-record status codes of sObject Collections that retrying cannot fix. */
const PERMANENT_RECORD_CODES = new Set([
  'INVALID_FIELD',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_TYPE',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'FIELD_INTEGRITY_EXCEPTION',
  'INVALID_CROSS_REFERENCE_KEY',
  'INVALID_ID_FIELD',
  'REQUIRED_FIELD_MISSING',
  'STRING_TOO_LONG',
  'MALFORMED_ID',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
  'INACTIVE_OWNER_OR_USER',
  'DUPLICATES_DETECTED',
]);

export function isPermanentRecordError(code: string): boolean {
  return PERMANENT_RECORD_CODES.has(code);
}
