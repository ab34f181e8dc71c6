import type { OrgData, SObjectRecord } from '../org-data.ts';
import type { FieldDef, SObjectDef } from '../schema/types.ts';
import { findField, findRelationship } from '../schema/types.ts';
import { noSuchColumn, unknownRelationship } from './query-errors.ts';

// Resolves dotted SOQL field paths (Owner.Name, What.Name, Opportunity__r.Account.Name) against the schema
// and reads them from records by following lookup ids.

/** Fields a polymorphic relationship (What, Who) exposes: the "Name" pseudo-object of the real API. */
const POLYMORPHIC_FIELDS = [
  'Id',
  'Name',
  'Type',
  'Alias',
  'Email',
  'FirstName',
  'LastName',
  'IsActive',
  'Title',
  'Phone',
  'Username',
];

export interface RelationshipStep {
  /** Name as written in the canonical case, e.g. Owner. */
  relationshipName: string;
  reference: FieldDef;
  /** undefined for polymorphic relationships. */
  target?: SObjectDef;
}

export interface ResolvedPath {
  steps: RelationshipStep[];
  /** Canonical name of the last field. */
  fieldName: string;
  field?: FieldDef;
  path: string;
}

export function resolvePath(
  data: OrgData,
  root: SObjectDef,
  rawPath: string,
  soql: string,
  alias?: string,
): ResolvedPath {
  let parts = rawPath.split('.');
  if (alias && parts.length > 1 && parts[0]!.toLowerCase() === alias.toLowerCase()) parts = parts.slice(1);
  const steps: RelationshipStep[] = [];
  let current: SObjectDef | undefined = root;
  for (const part of parts.slice(0, -1)) {
    if (!current) {
      throw unknownRelationship(soql, rawPath, part);
    }
    const reference = findRelationship(current, part);
    if (!reference) throw unknownRelationship(soql, rawPath, part);
    const targets = reference.referenceTo ?? [];
    const target = targets.length === 1 ? data.object(targets[0]!) : undefined;
    steps.push({ relationshipName: reference.relationshipName!, reference, target });
    current = target;
  }
  const last = parts[parts.length - 1]!;
  if (!current) {
    const name = POLYMORPHIC_FIELDS.find((f) => f.toLowerCase() === last.toLowerCase());
    if (!name) throw noSuchColumn(soql, rawPath, last, 'Name');
    return { steps, fieldName: name, path: [...steps.map((s) => s.relationshipName), name].join('.') };
  }
  const field = findField(current, last);
  if (!field) throw noSuchColumn(soql, rawPath, last, current.name);
  return {
    steps,
    fieldName: field.name,
    field,
    path: [...steps.map((s) => s.relationshipName), field.name].join('.'),
  };
}

/** Follows one lookup: the related record and its object, or undefined when the lookup is empty. */
export function follow(
  data: OrgData,
  record: SObjectRecord,
  step: RelationshipStep,
): { object: SObjectDef; record: SObjectRecord } | undefined {
  const id = record[step.reference.name];
  if (typeof id !== 'string') return undefined;
  return data.byId(id);
}

export function readPath(data: OrgData, record: SObjectRecord, path: ResolvedPath): unknown {
  let current: { object: SObjectDef; record: SObjectRecord } | undefined = {
    object: undefined as never,
    record,
  };
  for (const step of path.steps) {
    current = follow(data, current.record, step);
    if (!current) return null;
  }
  if (path.fieldName === 'Type' && path.steps.length > 0 && !path.steps[path.steps.length - 1]!.target) {
    return current.object.name;
  }
  return current.record[path.fieldName] ?? null;
}

/** Long text areas (more than 255 characters) cannot be filtered or sorted on. */
export function isLongText(path: ResolvedPath): boolean {
  return path.field?.type === 'textarea' && (path.field.length ?? 0) > 255;
}
