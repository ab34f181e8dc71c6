import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { FieldType as ParsedField, OrderByClause, Query } from '@jetstreamapp/soql-parser-js';
import type { OrgData, SObjectRecord } from '../org-data.ts';
import type { SObjectDef } from '../schema/types.ts';
import { follow, isLongText, readPath, resolvePath } from './field-paths.ts';
import type { ResolvedPath } from './field-paths.ts';
import { malformed, queryError, unsupportedType } from './query-errors.ts';
import { buildWhere } from './where.ts';

// Runs one SOQL query against the in-memory org: fields and relationship fields, WHERE, ORDER BY,
// LIMIT/OFFSET, COUNT(). Paging (nextRecordsUrl) is the caller's job.

export interface QueryResult {
  totalSize: number;
  records: SObjectRecord[];
}

export type Selected =
  { kind: 'path'; path: ResolvedPath } | { kind: 'count'; alias: string; path?: ResolvedPath };

const MAX_OFFSET = 2000;

export function selectedFields(
  data: OrgData,
  root: SObjectDef,
  fields: ParsedField[],
  soql: string,
  alias?: string,
): Selected[] {
  let exprIndex = 0;
  return fields.map((f): Selected => {
    switch (f.type) {
      case 'Field': {
        const raw = 'objectPrefix' in f && f.objectPrefix ? `${f.objectPrefix}.${f.field}` : f.field;
        return { kind: 'path', path: resolvePath(data, root, raw, soql, alias) };
      }
      case 'FieldRelationship': {
        const raw = f.rawValue ?? [...f.relationships, f.field].join('.');
        return { kind: 'path', path: resolvePath(data, root, raw, soql, alias) };
      }
      case 'FieldFunctionExpression': {
        if (f.functionName.toUpperCase() !== 'COUNT') {
          throw queryError(
            'MALFORMED_QUERY',
            soql,
            f.functionName,
            `the Salesforce stand-in does not support ${f.functionName}()`,
          );
        }
        const param = f.parameters[0];
        const path = typeof param === 'string' ? resolvePath(data, root, param, soql, alias) : undefined;
        return { kind: 'count', alias: f.alias ?? `expr${exprIndex++}`, path };
      }
      default:
        throw queryError(
          'MALFORMED_QUERY',
          soql,
          '',
          'the Salesforce stand-in does not support subqueries or TYPEOF',
        );
    }
  });
}

function sortRecords(
  data: OrgData,
  root: SObjectDef,
  records: SObjectRecord[],
  orderBy: OrderByClause[],
  soql: string,
  alias?: string,
): void {
  const keys = orderBy.map((o) => {
    if (!('field' in o))
      throw queryError(
        'MALFORMED_QUERY',
        soql,
        'ORDER',
        'the Salesforce stand-in does not support ORDER BY functions',
      );
    const desc = o.order === 'DESC';
    const path = resolvePath(data, root, o.field, soql, alias);
    if (isLongText(path))
      throw queryError(
        'INVALID_FIELD',
        soql,
        o.field,
        `field '${path.fieldName}' can not be sorted in a query call`,
      );
    return {
      path,
      desc,
      nullsFirst: o.nulls ? o.nulls === 'FIRST' : !desc,
    };
  });
  const norm = (v: unknown): string | number | boolean | null => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return v.toLowerCase();
    return v as number | boolean;
  };
  records.sort((a, b) => {
    for (const k of keys) {
      const x = norm(readPath(data, a, k.path));
      const y = norm(readPath(data, b, k.path));
      if (x === y) continue;
      if (x === null) return k.nullsFirst ? -1 : 1;
      if (y === null) return k.nullsFirst ? 1 : -1;
      const c = x < y ? -1 : 1;
      return k.desc ? -c : c;
    }
    return 0;
  });
}

function attributes(type: string, id: unknown, apiVersion: string): Record<string, string> {
  return { type, url: `/services/data/v${apiVersion}/sobjects/${type}/${String(id)}` };
}

/** Builds the output record: selected fields in order, relationship fields as nested objects. */
function project(
  data: OrgData,
  root: SObjectDef,
  record: SObjectRecord,
  selected: ResolvedPath[],
  apiVersion: string,
): SObjectRecord {
  const out: SObjectRecord = { attributes: attributes(root.name, record.Id, apiVersion) };
  for (const path of selected) {
    let target = out;
    let source: SObjectRecord | undefined = record;
    let broken = false;
    for (const step of path.steps) {
      const related: { object: SObjectDef; record: SObjectRecord } | undefined = source
        ? follow(data, source, step)
        : undefined;
      if (!related) {
        target[step.relationshipName] = null;
        broken = true;
        break;
      }
      const existing = target[step.relationshipName];
      const next: SObjectRecord =
        existing && typeof existing === 'object'
          ? (existing as SObjectRecord)
          : {
              attributes: attributes(
                step.target ? related.object.name : 'Name',
                related.record.Id,
                apiVersion,
              ),
            };
      target[step.relationshipName] = next;
      target = next;
      source = related.record;
    }
    if (broken || !source) continue;
    const polymorphicType =
      path.fieldName === 'Type' && path.steps.length > 0 && !path.steps[path.steps.length - 1]!.target;
    target[path.fieldName] = polymorphicType
      ? readPath(data, record, path)
      : (source[path.fieldName] ?? null);
  }
  return out;
}

export function runQuery(data: OrgData, soql: string, apiVersion: string): QueryResult {
  let query: Query;
  try {
    query = parseQuery(soql);
  } catch (err) {
    throw malformed(soql, err as Error);
  }
  const root = query.sObject ? data.object(query.sObject) : undefined;
  if (!root || root.kind === 'platformEvent') throw unsupportedType(soql, query.sObject ?? '');
  if (query.groupBy || query.having)
    throw queryError('MALFORMED_QUERY', soql, 'GROUP', 'the Salesforce stand-in does not support GROUP BY');
  const alias = query.sObjectAlias;
  const selected = selectedFields(data, root, query.fields ?? [], soql, alias);
  const counts = selected.filter((s) => s.kind === 'count');
  if (counts.length > 0 && selected.length !== counts.length) {
    throw queryError('MALFORMED_QUERY', soql, 'COUNT', 'Field must be grouped or aggregated: COUNT');
  }
  const where = buildWhere(data, root, query.where, soql, alias);
  let records = data.all(root).filter(where);
  if (query.orderBy)
    sortRecords(
      data,
      root,
      records,
      Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy],
      soql,
      alias,
    );
  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw queryError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      soql,
      'OFFSET',
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  }
  records = records.slice(
    query.offset ?? 0,
    query.limit !== undefined ? (query.offset ?? 0) + query.limit : undefined,
  );

  const bareCount = counts.find((c) => c.kind === 'count' && !c.path);
  if (bareCount && counts.length === 1) return { totalSize: records.length, records: [] };
  if (counts.length > 0) {
    const row: SObjectRecord = { attributes: { type: 'AggregateResult' } };
    for (const c of counts) {
      if (c.kind !== 'count') continue;
      row[c.alias] = c.path
        ? records.filter((r) => readPath(data, r, c.path!) !== null).length
        : records.length;
    }
    return { totalSize: 1, records: [row] };
  }
  const paths = selected.flatMap((s) => (s.kind === 'path' ? [s.path] : []));
  return {
    totalSize: records.length,
    records: records.map((r) => project(data, root, r, paths, apiVersion)),
  };
}
