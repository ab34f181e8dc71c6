import type { ApiRequest, ApiResponse } from './api-types.ts';
import type { OrgContext } from './context.ts';
import type { RecordError } from './errors.ts';
import { RecordValidationError, SalesforceApiError } from './errors.ts';
import { requireUpsertAccess } from './user-permissions.ts';
import type { SObjectRecord } from './org-data.ts';

// sObject Collections: POST (create), PATCH (update), DELETE and PATCH /{SObject}/{ExternalIdField}
// (upsert) on /composite/sobjects, at most 200 records, with allOrNone and per-record results.

const MAX_RECORDS = 200;

interface CollectionResult {
  id?: string | null;
  success: boolean;
  errors: RecordError[];
  created?: boolean;
}

const ROLLED_BACK: RecordError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function readBody(body: unknown): { allOrNone: boolean; records: SObjectRecord[] } {
  const b = body as { allOrNone?: unknown; records?: unknown } | null;
  if (!b || typeof b !== 'object' || !Array.isArray(b.records)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be an object with a records array',
    );
  }
  if (b.records.length > MAX_RECORDS) {
    throw new SalesforceApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
    );
  }
  return { allOrNone: b.allOrNone === true, records: b.records as SObjectRecord[] };
}

function typeOf(ctx: OrgContext, record: SObjectRecord): string {
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  const invalid = (message: string) =>
    new RecordValidationError([{ statusCode: 'INVALID_TYPE', message, fields: [] }]);
  if (typeof type !== 'string' || type === '') throw invalid('Must send a concrete entity type.');
  if (!ctx.data.object(type)) throw invalid(`sObject type '${type}' is not supported.`);
  return type;
}

/** Runs each record's operation, collecting per-record results; allOrNone rolls every change back. */
function runAll(
  ctx: OrgContext,
  allOrNone: boolean,
  count: number,
  op: (i: number) => CollectionResult,
): CollectionResult[] {
  // Copying the org is O(records): only allOrNone calls need the copy to roll back to.
  const snapshot = allOrNone ? ctx.data.snapshot() : undefined;
  const eventsBefore = ctx.dml.events.length;
  const results: CollectionResult[] = [];
  for (let i = 0; i < count; i++) {
    try {
      results.push(op(i));
    } catch (err) {
      if (err instanceof RecordValidationError) results.push({ success: false, errors: err.errors });
      else if (err instanceof SalesforceApiError)
        results.push({
          success: false,
          errors: [{ statusCode: err.errorCode, message: err.message, fields: err.fields ?? [] }],
        });
      else throw err;
    }
  }
  if (snapshot && results.some((r) => !r.success)) {
    ctx.data.restore(snapshot);
    ctx.dml.events.splice(eventsBefore);
    return results.map((r) => (r.success ? { id: null, success: false, errors: [ROLLED_BACK] } : r));
  }
  return results;
}

export function handleCollections(ctx: OrgContext, req: ApiRequest, rest: string[]): ApiResponse {
  const dmlCtx = { userId: req.userId };
  if (rest.length === 0 && req.method === 'DELETE') {
    const ids = (req.query.ids ?? '').split(',').filter((s) => s !== '');
    if (ids.length > MAX_RECORDS)
      throw new SalesforceApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
      );
    const results = runAll(ctx, req.query.allOrNone === 'true', ids.length, (i) => {
      const id = ids[i]!;
      const found = ctx.data.byId(id.length === 15 || id.length === 18 ? id : '');
      if (!found)
        throw new RecordValidationError([
          { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] },
        ]);
      ctx.dml.delete(found.object.name, id);
      return { id: String(found.record.Id), success: true, errors: [] };
    });
    return { status: 200, body: results };
  }
  const { allOrNone, records } = readBody(req.body);
  for (const r of records) {
    const type = (r?.attributes as { type?: unknown } | undefined)?.type;
    ctx.dml.checkJsonTypes(typeof type === 'string' ? type : (rest[0] ?? ''), r);
  }
  if (rest.length === 0 && req.method === 'POST') {
    const results = runAll(ctx, allOrNone, records.length, (i) => {
      const r = records[i]!;
      const id = ctx.dml.insert(typeOf(ctx, r), r, dmlCtx);
      return { id, success: true, errors: ctx.dml.insertNotices(id) };
    });
    return { status: 200, body: results };
  }
  if (rest.length === 0 && req.method === 'PATCH') {
    const results = runAll(ctx, allOrNone, records.length, (i) => {
      const r = records[i]!;
      const idKey = Object.keys(r).find((k) => k.toLowerCase() === 'id');
      if (!idKey || typeof r[idKey] !== 'string') {
        throw new RecordValidationError([
          { statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] },
        ]);
      }
      const body = { ...r };
      delete body[idKey];
      return {
        id: ctx.dml.update(typeOf(ctx, r), String(r[idKey]), body, dmlCtx),
        success: true,
        errors: [],
      };
    });
    return { status: 200, body: results };
  }
  if (rest.length === 2 && req.method === 'PATCH') {
    const [typeName, fieldName] = rest as [string, string];
    const object = ctx.dml.objectOrThrow(typeName);
    const field = ctx.dml.externalIdField(object, fieldName);
    if (!field) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `Field name provided, ${fieldName} is not an External ID or indexed field for ${object.name}`,
      );
    }
    requireUpsertAccess(ctx, req.userId, object, field);
    const valueOf = (r: SObjectRecord): string | undefined => {
      const key = Object.keys(r).find((k) => k.toLowerCase() === field.name.toLowerCase());
      const v = key ? r[key] : undefined;
      return v === undefined || v === null ? undefined : String(v);
    };
    const seen = new Map<string, number>();
    for (const r of records) {
      const v = valueOf(r)?.toLowerCase();
      if (v !== undefined) seen.set(v, (seen.get(v) ?? 0) + 1);
    }
    const results = runAll(ctx, allOrNone, records.length, (i) => {
      const r = records[i]!;
      const type = typeOf(ctx, r);
      if (type.toLowerCase() !== object.name.toLowerCase()) {
        throw new RecordValidationError([
          {
            statusCode: 'INVALID_TYPE',
            message: `Record type ${type} does not match ${object.name}`,
            fields: [],
          },
        ]);
      }
      const value = valueOf(r);
      if (value === undefined) {
        throw new RecordValidationError([
          { statusCode: 'MISSING_ARGUMENT', message: `${field.name} not specified`, fields: [field.name] },
        ]);
      }
      if ((seen.get(value.toLowerCase()) ?? 0) > 1) {
        throw new RecordValidationError([
          {
            statusCode: 'DUPLICATE_EXTERNAL_ID',
            message: `Duplicate external id specified: ${value}`,
            fields: [field.name],
          },
        ]);
      }
      const { id, created } = ctx.dml.upsert(object.name, field.name, value, r, dmlCtx);
      return { id, success: true, errors: [], created };
    });
    return { status: 200, body: results };
  }
  throw new SalesforceApiError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${req.method}' not allowed. Allowed are POST, PATCH, DELETE`,
  );
}
