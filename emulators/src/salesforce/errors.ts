/** One entry of a Salesforce REST error body: `[{ message, errorCode, fields? }]`. */
export interface SalesforceErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** An error the REST API answers with a status code and Salesforce's error array. */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
    private readonly others: SalesforceErrorItem[] = [],
  ) {
    super(message);
  }

  /** A single-record call that failed record checks answers 400 with every record error. */
  static fromRecordErrors(errors: RecordError[]): SalesforceApiError {
    const [first, ...rest] = errors;
    return new SalesforceApiError(
      400,
      first!.statusCode,
      first!.message,
      first!.fields,
      rest.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })),
    );
  }

  toBody(): SalesforceErrorItem[] {
    const item: SalesforceErrorItem = { message: this.message, errorCode: this.errorCode };
    if (this.fields) item.fields = this.fields;
    return [item, ...this.others];
  }
}

/** A per-record DML failure, as it appears in sObject Collections results (`statusCode`, not `errorCode`). */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export class RecordValidationError extends Error {
  constructor(readonly errors: RecordError[]) {
    super(errors.map((e) => `${e.statusCode}: ${e.message}`).join('; '));
  }
}

export function recordError(
  statusCode: string,
  message: string,
  fields: string[] = [],
): RecordValidationError {
  return new RecordValidationError([{ statusCode, message, fields }]);
}

export const notFound = (): SalesforceApiError =>
  new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
