import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { OrgData } from '../org-data.ts';
import type { FieldDef } from '../schema/types.ts';
import { malformed, unsupportedType } from './query-errors.ts';
import { selectedFields } from './run-query.ts';

/** One entry of `columnMetadata`, the answer of `GET .../query?q=...&columns=true` (what `sf data query` reads). */
export interface QueryColumn {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: QueryColumn[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

const APEX_TYPES: Record<string, string> = {
  id: 'Id',
  reference: 'Id',
  boolean: 'Boolean',
  int: 'Integer',
  double: 'Double',
  currency: 'Double',
  percent: 'Double',
  date: 'Date',
  datetime: 'Datetime',
};
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);

function fieldColumn(name: string, field: FieldDef | undefined): QueryColumn {
  const type = field?.type ?? 'string';
  const apexType = APEX_TYPES[type] ?? 'String';
  return {
    aggregate: false,
    apexType,
    booleanType: type === 'boolean',
    columnName: name,
    custom: field?.custom ?? false,
    displayName: name,
    foreignKeyName: null,
    insertable: field?.createable ?? false,
    joinColumns: [],
    numberType: NUMBER_TYPES.has(type),
    textType: apexType === 'String',
    updatable: field?.updateable ?? false,
  };
}

function relationshipColumn(name: string): QueryColumn {
  return { ...fieldColumn(name, undefined), apexType: null, textType: false, joinColumns: [] };
}

/**
 * The columns a query selects, without running it: plain fields, relationship paths as a column per
 * relationship with `joinColumns` (Owner.Name -> Owner { Name }), COUNT() as an aggregate column.
 */
export function queryColumns(data: OrgData, soql: string) {
  let query;
  try {
    query = parseQuery(soql);
  } catch (err) {
    throw malformed(soql, err as Error);
  }
  const root = query.sObject ? data.object(query.sObject) : undefined;
  if (!root || root.kind === 'platformEvent') throw unsupportedType(soql, query.sObject ?? '');
  const columns: QueryColumn[] = [];
  for (const selected of selectedFields(data, root, query.fields ?? [], soql, query.sObjectAlias)) {
    if (selected.kind === 'count') {
      columns.push({
        ...fieldColumn(selected.alias, undefined),
        aggregate: true,
        apexType: 'Integer',
        numberType: true,
        textType: false,
        displayName: selected.path ? `COUNT(${selected.path.path})` : 'COUNT()',
      });
      continue;
    }
    let level = columns;
    for (const step of selected.path.steps) {
      let column = level.find((c) => c.columnName === step.relationshipName && c.joinColumns.length > 0);
      if (!column) {
        column = relationshipColumn(step.relationshipName);
        level.push(column);
      }
      level = column.joinColumns;
    }
    level.push(fieldColumn(selected.path.fieldName, selected.path.field));
  }
  return {
    columnMetadata: columns,
    entityName: root.name,
    groupBy: false,
    idSelected: columns.some((c) => c.columnName === 'Id'),
    keyPrefix: root.keyPrefix,
  };
}
