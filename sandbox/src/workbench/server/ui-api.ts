import type { Connection } from 'jsforce';
import { quote } from './apex/context.ts';
import type { Persona } from './personas.ts';

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const OBJECTS: Record<string, string> = {
  '006': 'Opportunity',
  '001': 'Account',
  '005': 'User',
  '00T': 'Task',
};

function fieldNames(fields: unknown): { object: string; path: string }[] {
  if (!Array.isArray(fields)) throw new Error('fields must be a list of field references');
  return fields.map((field) => {
    const ref = typeof field === 'string' ? field : `${field?.objectApiName}.${field?.fieldApiName}`;
    const dot = ref.indexOf('.');
    const path = ref.slice(dot + 1);
    if (dot < 0 || !FIELD_PATH.test(path)) throw new Error(`Not a field reference: ${ref}`);
    return { object: ref.slice(0, dot), path };
  });
}

/** The UI API record shape `getRecord` provisions: `fields.X.value`, relationships as nested records. */
function uiRecord(apiName: string, record: Record<string, unknown>, paths: string[]) {
  const fields: Record<string, unknown> = {};
  for (const path of paths) {
    const [head, ...rest] = path.split('.');
    const value = record[head!];
    if (rest.length === 0) {
      fields[head!] = { value: value ?? null, displayValue: null };
    } else {
      const child = (value ?? null) as Record<string, unknown> | null;
      const nested = (fields[head!] as { value?: { fields: Record<string, unknown> } } | undefined)?.value;
      const built = child ? uiRecord('', child, [rest.join('.')]) : null;
      fields[head!] = {
        displayValue: null,
        value: child ? { apiName: '', fields: { ...(nested?.fields ?? {}), ...built!.fields } } : null,
      };
    }
  }
  return { apiName, id: record.Id, fields };
}

/** lightning/uiRecordApi getRecord, for the persona (object permission; the stand-in has no sharing). */
export async function getRecord(conn: Connection, persona: Persona, recordId: unknown, fields: unknown) {
  const object = typeof recordId === 'string' ? OBJECTS[recordId.slice(0, 3)] : undefined;
  if (!object)
    throw Object.assign(new Error(`The workbench cannot load record ${String(recordId)}.`), { status: 404 });
  if (!persona.access.objects.get(object)?.read) {
    throw Object.assign(new Error(`You don't have access to this record.`), { status: 403 });
  }
  const refs = fieldNames(fields).filter((ref) => ref.object === object);
  const paths = [...new Set(['Id', ...refs.map((ref) => ref.path)])];
  const [record] = (
    await conn.query<Record<string, unknown>>(
      `SELECT ${paths.join(', ')} FROM ${object} WHERE Id = ${quote(recordId)}`,
    )
  ).records;
  if (!record) throw Object.assign(new Error('The requested resource does not exist'), { status: 404 });
  return uiRecord(object, record, paths);
}

/** The Tasks related list of a record (what the page's related list shows). */
export async function relatedTasks(conn: Connection, recordId: unknown) {
  return (
    await conn.query<Record<string, unknown>>(
      `SELECT Id, Subject, Status, Priority, ActivityDate, Owner.Name, CreatedDate, Teams_Message_Url__c
     FROM Task WHERE WhatId = ${quote(recordId)} ORDER BY CreatedDate DESC LIMIT 50`,
    )
  ).records;
}

/** The record picker's search: active users by name, username or email. */
export async function searchUsers(conn: Connection, term: unknown) {
  const text = typeof term === 'string' ? term.trim() : '';
  const where = text
    ? ` AND (Name LIKE ${quote(`%${text}%`)} OR Username LIKE ${quote(`%${text}%`)} OR Email LIKE ${quote(`%${text}%`)})`
    : '';
  return (
    await conn.query<{ Id: string; Name: string; Email: string }>(
      `SELECT Id, Name, Email FROM User WHERE IsActive = true${where} ORDER BY Name LIMIT 20`,
    )
  ).records;
}
