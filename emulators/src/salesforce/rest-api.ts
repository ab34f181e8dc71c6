import type { ApiRequest, ApiResponse } from './api-types.ts';
import { handleCollections } from './collections.ts';
import { handleComposite } from './composite.ts';
import { requireUpsertAccess } from './user-permissions.ts';
import type { OrgContext } from './context.ts';
import { describeGlobal, describeSObject, describeSObjectBasic } from './describe.ts';
import { notFound, RecordValidationError, SalesforceApiError } from './errors.ts';
import type { SObjectRecord } from './org-data.ts';
import { findField } from './schema/types.ts';
import type { SObjectDef } from './schema/types.ts';
import { queryColumns } from './soql/query-columns.ts';
import { runQuery } from './soql/run-query.ts';
import { limitsBody } from './limits.ts';

// The REST API below /services/data/vNN.N, as a plain function so composite subrequests can reuse it.

const DEFAULT_BATCH = 2000;
const MAX_OPEN_CURSORS = 1000;

function recordOut(
  object: SObjectDef,
  record: SObjectRecord,
  version: string,
  only?: string[],
): SObjectRecord {
  const out: SObjectRecord = {
    attributes: {
      type: object.name,
      url: `/services/data/v${version}/sobjects/${object.name}/${String(record.Id)}`,
    },
  };
  const fields = only
    ? only.map((n) => findField(object, n)?.name ?? n)
    : [...object.fields.values()].map((f) => f.name);
  for (const name of fields) {
    if (!findField(object, name))
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    out[name] = record[name] ?? null;
  }
  return out;
}

function singleRecordFailure(err: unknown): never {
  if (err instanceof RecordValidationError) throw SalesforceApiError.fromRecordErrors(err.errors);
  throw err;
}

/** The list answered by GET /services/data/vNN.N. */
function resources(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  const names = [
    'sobjects',
    'query',
    'queryAll',
    'composite',
    'limits',
    'search',
    'recent',
    'tooling',
    'uiapi',
  ];
  return Object.fromEntries(names.map((n) => [n, `${base}/${n}`]));
}

function batchSize(headers: ApiRequest['headers']): number {
  const opt = headers['sforce-query-options'];
  const m = opt ? /batchSize=(\d+)/i.exec(opt) : null;
  if (!m) return DEFAULT_BATCH;
  return Math.min(DEFAULT_BATCH, Math.max(200, Number(m[1])));
}

function queryPage(
  ctx: OrgContext,
  req: ApiRequest,
  records: SObjectRecord[],
  totalSize: number,
  size: number,
  offset: number,
  cursor?: string,
): ApiResponse {
  const page = records.slice(offset, offset + size);
  const done = offset + size >= records.length;
  const body: Record<string, unknown> = { totalSize, done, records: page };
  if (!done) {
    // Locators stay readable (the real ones live 15 minutes); the oldest go once many are open.
    const id = cursor ?? ctx.data.ids.cursor();
    ctx.cursors.set(id, { records, totalSize, batchSize: size });
    if (ctx.cursors.size > MAX_OPEN_CURSORS) ctx.cursors.delete(ctx.cursors.keys().next().value!);
    body.nextRecordsUrl = `/services/data/v${req.version}/query/${id}-${offset + size}`;
  }
  return { status: 200, body };
}

function handleQuery(ctx: OrgContext, req: ApiRequest, rest: string[]): ApiResponse {
  if (req.method !== 'GET')
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${req.method}' not allowed. Allowed are GET,HEAD`,
    );
  if (rest.length === 0) {
    const soql = req.query.q;
    if (!soql) throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    // `columns=true` describes the selected columns instead of running the query (sf data query asks first).
    if (req.query.columns === 'true') return { status: 200, body: queryColumns(ctx.data, soql) };
    const result = runQuery(ctx.data, soql, req.version);
    return queryPage(ctx, req, result.records, result.totalSize, batchSize(req.headers), 0);
  }
  const m = /^(01g[a-zA-Z0-9]{12})-(\d+)$/.exec(rest[0] ?? '');
  const cursor = m ? ctx.cursors.get(m[1]!) : undefined;
  if (!m || !cursor || Number(m[2]) >= cursor.records.length)
    throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  return queryPage(ctx, req, cursor.records, cursor.totalSize, cursor.batchSize, Number(m[2]), m[1]);
}

function handleSObjects(ctx: OrgContext, req: ApiRequest, rest: string[]): ApiResponse {
  const dmlCtx = { userId: req.userId };
  if (rest.length === 0) {
    if (req.method !== 'GET')
      throw new SalesforceApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${req.method}' not allowed. Allowed are GET,HEAD`,
      );
    return { status: 200, body: describeGlobal(ctx.data.schema, req.version) };
  }
  const object = ctx.data.object(rest[0]!);
  if (!object) throw notFound();
  if (rest.length === 1) {
    if (req.method === 'GET')
      return {
        status: 200,
        body: { objectDescribe: describeSObjectBasic(object, req.version), recentItems: [] },
      };
    if (req.method === 'POST') {
      try {
        const id = ctx.dml.insert(object.name, (req.body ?? {}) as SObjectRecord, dmlCtx);
        return {
          status: 201,
          body: { id, success: true, errors: ctx.dml.insertNotices(id) },
          headers: { Location: `/services/data/v${req.version}/sobjects/${object.name}/${id}` },
        };
      } catch (err) {
        singleRecordFailure(err);
      }
    }
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${req.method}' not allowed. Allowed are GET,HEAD,POST`,
    );
  }
  if (rest.length === 2 && rest[1] === 'describe') {
    return { status: 200, body: describeSObject(ctx.data.schema, object, req.version) };
  }
  if (rest.length === 2) {
    const id = decodeURIComponent(rest[1]!);
    if (req.method === 'GET') {
      const record = ctx.dml.getRecord(object, id);
      const only = req.query.fields ? req.query.fields.split(',').map((s) => s.trim()) : undefined;
      return { status: 200, body: recordOut(object, record, req.version, only) };
    }
    try {
      if (req.method === 'PATCH') {
        ctx.dml.update(object.name, id, (req.body ?? {}) as SObjectRecord, dmlCtx);
        return { status: 204 };
      }
      if (req.method === 'DELETE') {
        ctx.dml.delete(object.name, id);
        return { status: 204 };
      }
    } catch (err) {
      singleRecordFailure(err);
    }
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${req.method}' not allowed. Allowed are GET,HEAD,PATCH,DELETE`,
    );
  }
  if (rest.length === 3) {
    const fieldName = rest[1]!;
    const value = decodeURIComponent(rest[2]!);
    const field = ctx.dml.externalIdField(object, fieldName);
    if (!field)
      throw new SalesforceApiError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${fieldName}`,
      );
    const matches = ctx.dml.matchExternalId(object, field, value);
    const multiple = (): ApiResponse => ({
      status: 300,
      body: matches.map((m) => `/services/data/v${req.version}/sobjects/${object.name}/${String(m.Id)}`),
    });
    if (req.method === 'GET') {
      if (matches.length === 0) throw notFound();
      if (matches.length > 1) return multiple();
      return { status: 200, body: recordOut(object, matches[0]!, req.version) };
    }
    if (req.method === 'PATCH') {
      requireUpsertAccess(ctx, req.userId, object, field);
      if (matches.length > 1) return multiple();
      const body = (req.body ?? {}) as SObjectRecord;
      if (Object.keys(body).some((k) => k.toLowerCase() === field.name.toLowerCase())) {
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD',
          `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [field.name],
        );
      }
      try {
        const { id, created } = ctx.dml.upsert(object.name, field.name, value, body, dmlCtx);
        return { status: created ? 201 : 200, body: { id, success: true, errors: [], created } };
      } catch (err) {
        singleRecordFailure(err);
      }
    }
    if (req.method === 'DELETE') {
      if (matches.length === 0) throw notFound();
      if (matches.length > 1) return multiple();
      ctx.dml.delete(object.name, String(matches[0]!.Id));
      return { status: 204 };
    }
  }
  throw notFound();
}

export function handleApi(ctx: OrgContext, req: ApiRequest): ApiResponse {
  const parts = req.path.split('/').filter((p) => p !== '');
  const [head, ...rest] = parts;
  switch (head) {
    case undefined:
      return { status: 200, body: resources(req.version) };
    case 'limits':
      return { status: 200, body: limitsBody(ctx) };
    case 'sobjects':
      return handleSObjects(ctx, req, rest);
    case 'query':
    case 'queryAll':
      return handleQuery(ctx, req, rest);
    case 'composite':
      if (rest[0] === 'sobjects') return handleCollections(ctx, req, rest.slice(1));
      if (rest.length === 0 && req.method === 'POST') return handleComposite(ctx, req);
      throw notFound();
    default:
      throw notFound();
  }
}
