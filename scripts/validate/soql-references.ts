import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { SchemaModel } from './schema-model.ts';

/** One thing a SOQL query names that the schema does not have. */
export type SoqlIssue = { needle: string; message: string };

type Fieldish = {
  type?: string;
  field?: string;
  relationships?: string[];
  rawValue?: string;
  parameters?: unknown[];
  subquery?: Query;
  conditions?: { objectType: string; fieldList: string[] }[];
};
type Condition = { left?: { field?: string; fn?: Fieldish; valueQuery?: Query }; right?: Condition };
type Query = {
  fields?: Fieldish[];
  sObject?: string;
  relationshipName?: string;
  where?: Condition;
  orderBy?: { field?: string }[] | { field?: string };
  groupBy?: { field?: string }[] | { field?: string };
  having?: Condition;
};

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function fieldPaths(field: Fieldish): string[] {
  switch (field.type) {
    case 'Field':
      return field.field ? [field.field] : [];
    case 'FieldRelationship':
      return [[...(field.relationships ?? []), field.field].join('.')];
    case 'FieldFunctionExpression':
      return (field.parameters ?? []).flatMap((p) =>
        typeof p === 'string' ? (/^[A-Za-z_][\w.]*$/.test(p) ? [p] : []) : fieldPaths(p as Fieldish),
      );
    default:
      return [];
  }
}

function conditionPaths(condition: Condition | undefined, issues: SoqlIssue[], model: SchemaModel): string[] {
  const paths: string[] = [];
  for (let c = condition; c; c = c.right) {
    if (c.left?.field) paths.push(c.left.field);
    if (c.left?.fn) paths.push(...fieldPaths({ type: 'FieldFunctionExpression', ...c.left.fn }));
    if (c.left?.valueQuery) checkQuery(c.left.valueQuery, undefined, model, issues);
  }
  return paths;
}

function checkQuery(query: Query, parent: string | undefined, model: SchemaModel, issues: SoqlIssue[]): void {
  let object: string | undefined;
  if (parent && query.relationshipName) {
    object = model.childRelationship(parent, query.relationshipName);
    if (!object) {
      issues.push({
        needle: query.relationshipName,
        message: `${parent} has no child relationship ${query.relationshipName}`,
      });
      return;
    }
  } else if (query.sObject) {
    object = model.object(query.sObject);
    if (!object) {
      issues.push({ needle: query.sObject, message: model.unknownObject(query.sObject) });
      return;
    }
  }
  if (!object) return;
  const paths: string[] = [];
  for (const field of query.fields ?? []) {
    if (field.type === 'FieldSubquery' && field.subquery) checkQuery(field.subquery, object, model, issues);
    else if (field.type === 'FieldTypeof') {
      for (const condition of field.conditions ?? []) {
        const target = model.object(condition.objectType);
        if (!target)
          issues.push({ needle: condition.objectType, message: model.unknownObject(condition.objectType) });
        else
          for (const name of condition.fieldList)
            paths.push(`${field.field}.${name}`.replace(/^[^.]+\./, `@${target}.`));
      }
    } else paths.push(...fieldPaths(field));
  }
  paths.push(...conditionPaths(query.where, issues, model), ...conditionPaths(query.having, issues, model));
  paths.push(...asArray(query.orderBy).flatMap((o) => (o.field ? [o.field] : [])));
  paths.push(...asArray(query.groupBy).flatMap((g) => (g.field ? [g.field] : [])));
  for (const path of new Set(paths)) {
    // "@Account.Name" comes from a TYPEOF branch: resolve from that object.
    const [from, rest] = path.startsWith('@')
      ? [path.slice(1, path.indexOf('.')), path.slice(path.indexOf('.') + 1)]
      : [object, path];
    // A path may start with the object's own name (SELECT Account.Name FROM Account).
    const relative =
      rest.toLowerCase().startsWith(from.toLowerCase() + '.') &&
      !model.relationship(from, rest.split('.')[0]!)
        ? rest.slice(from.length + 1)
        : rest;
    const problem = model.checkPath(from, relative);
    if (problem) issues.push({ needle: relative, message: problem });
  }
}

/** Parse one SOQL text and report every object, relationship and field it names that does not resolve. */
export function checkSoql(soql: string, model: SchemaModel): SoqlIssue[] {
  let query: Query;
  try {
    query = parseQuery(soql) as Query;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return [{ needle: '', message: `SOQL the parser cannot read: ${reason}` }];
  }
  const issues: SoqlIssue[] = [];
  checkQuery(query, undefined, model, issues);
  return issues;
}
