import type { ApiRequest, ApiResponse } from './api-types.ts';
import type { OrgContext } from './context.ts';
import { SalesforceApiError } from './errors.ts';
import { handleApi } from './rest-api.ts';

// POST /composite: up to 25 subrequests in order, later ones referring to earlier results with
// @{referenceId.path}; allOrNone rolls back every change when one subrequest fails.

const MAX_SUBREQUESTS = 25;

interface SubRequest {
  method?: string;
  url?: string;
  referenceId?: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const halted = (message: string) => [{ errorCode: 'PROCESSING_HALTED', message }];

function lookup(results: Map<string, SubResponse>, expression: string): unknown {
  const [ref, ...path] = expression.split('.');
  const result = results.get(ref ?? '');
  if (!result || result.httpStatusCode >= 400) return undefined;
  let value: unknown = result.body;
  for (const part of path) {
    for (const m of part.matchAll(/([^[\]]+)|\[(\d+)\]/g)) {
      if (value === null || typeof value !== 'object') return undefined;
      value =
        m[1] !== undefined ? (value as Record<string, unknown>)[m[1]] : (value as unknown[])[Number(m[2])];
    }
  }
  return value;
}

/** Replaces @{ref.path} in strings; a reference without a value throws with the offending expression. */
function substitute(value: unknown, results: Map<string, SubResponse>): unknown {
  if (typeof value === 'string') {
    return value.replace(/@\{([^}]+)\}/g, (_m, expr: string) => {
      const v = lookup(results, expr);
      if (v === undefined) throw new ReferenceProblem(expr);
      return String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, results));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, results)]));
  return value;
}

class ReferenceProblem extends Error {
  constructor(readonly expression: string) {
    super(expression);
  }
}

export function handleComposite(ctx: OrgContext, req: ApiRequest): ApiResponse {
  const body = req.body as { allOrNone?: boolean; compositeRequest?: SubRequest[] } | null;
  const subs = body?.compositeRequest;
  if (!Array.isArray(subs) || subs.length === 0) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'compositeRequest is required and must hold at least one subrequest',
    );
  }
  if (subs.length > MAX_SUBREQUESTS) {
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: the composite request has more than ${MAX_SUBREQUESTS} subrequests`,
    );
  }
  const ids = new Set<string>();
  for (const s of subs) {
    if (!s.referenceId || !/^[A-Za-z][A-Za-z0-9_]*$/.test(s.referenceId)) {
      throw new SalesforceApiError(
        400,
        'INVALID_INPUT',
        `Invalid referenceId: ${String(s.referenceId)}. A referenceId must start with a letter and contain only letters, digits and underscores.`,
      );
    }
    if (ids.has(s.referenceId))
      throw new SalesforceApiError(
        400,
        'DUPLICATE_VALUE',
        `Duplicate value for referenceId: ${s.referenceId}`,
      );
    ids.add(s.referenceId);
  }
  const allOrNone = body?.allOrNone === true;
  const snapshot = allOrNone ? ctx.data.snapshot() : undefined;
  const eventsBefore = ctx.dml.events.length;
  const results = new Map<string, SubResponse>();
  const out: SubResponse[] = [];
  let failed = false;
  for (const s of subs) {
    const referenceId = s.referenceId!;
    if (failed && allOrNone) {
      out.push({
        body: halted(
          'The transaction was rolled back since another operation in the same transaction failed.',
        ),
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId,
      });
      continue;
    }
    let response: SubResponse;
    try {
      const url = String(substitute(s.url ?? '', results));
      const m = /^\/services\/data\/v(\d+\.\d)\/([^?]*)(?:\?(.*))?$/.exec(url);
      if (!m)
        throw new SalesforceApiError(
          400,
          'INVALID_INPUT',
          `The url ${url} is not a valid REST API resource for composite`,
        );
      const answer = handleApi(ctx, {
        method: (s.method ?? 'GET').toUpperCase(),
        path: m[2]!,
        version: m[1]!,
        query: Object.fromEntries(new URLSearchParams(m[3] ?? '')),
        body: substitute(s.body, results),
        headers: Object.fromEntries(
          Object.entries(s.httpHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
        ),
        userId: req.userId,
      });
      response = {
        body: answer.body ?? null,
        httpHeaders: answer.headers ?? {},
        httpStatusCode: answer.status,
        referenceId,
      };
    } catch (err) {
      if (err instanceof ReferenceProblem) {
        response = {
          body: halted(
            `Invalid reference specified. No value for ${err.expression} found in ${err.expression.split('.')[0]}. Provided referenceId ('${err.expression.split('.')[0]}') does not exist or is an invalid reference.`,
          ),
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId,
        };
      } else if (err instanceof SalesforceApiError) {
        response = { body: err.toBody(), httpHeaders: {}, httpStatusCode: err.status, referenceId };
      } else {
        throw err;
      }
    }
    if (response.httpStatusCode >= 400) failed = true;
    results.set(referenceId, response);
    out.push(response);
  }
  if (failed && snapshot) {
    ctx.data.restore(snapshot);
    ctx.dml.events.splice(eventsBefore);
    for (const r of out) {
      if (r.httpStatusCode < 400) {
        r.body = halted(
          'The transaction was rolled back since another operation in the same transaction failed.',
        );
        r.httpStatusCode = 400;
        r.httpHeaders = {};
      }
    }
  }
  return { status: 200, body: { compositeResponse: out } };
}
