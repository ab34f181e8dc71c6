import { randomUUID } from 'node:crypto';
import { SalesforceApiError, recordError } from './errors.ts';
import type { RecordError } from './errors.ts';
import { normaliseId } from './ids.ts';
import type { OrgData, SObjectRecord } from './org-data.ts';
import type { FieldDef, SObjectDef } from './schema/types.ts';
import { findField } from './schema/types.ts';
import { coerceValue, formatDateTime } from './values.ts';
import { RecordChecks } from './record-checks.ts';

// Record writes with the checks a real org applies, in the order it applies them. Per-record problems
// throw RecordValidationError (collections report them per record; single-record calls answer 400);
// request-level problems (unreadable JSON values, wrong object kind) throw SalesforceApiError.

export interface DmlContext {
  userId: string;
  /** Seeding through the control API may set read-only fields such as CreatedDate or Id; every other check still applies. */
  system?: boolean;
}

export interface PublishedEvent {
  id: string;
  sobject: string;
  fields: SObjectRecord;
  publishedAt: string;
  publishedById: string;
}

export class Dml {
  readonly events: PublishedEvent[] = [];
  /** sObject name → how many more updates answer UNABLE_TO_LOCK_ROW (control `lockUpdates`). */
  readonly lockedUpdates = new Map<string, number>();

  private readonly checks: RecordChecks;

  constructor(private readonly data: OrgData) {
    this.checks = new RecordChecks(data);
  }

  objectOrThrow(name: string): SObjectDef {
    const object = this.data.object(name);
    if (!object) {
      throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    return object;
  }

  /**
   * Save-result errors for a successful insert: a published platform event is reported as queued
   * (OPERATION_ENQUEUED, the event's UUID as message), as the API does for high-volume events.
   */
  insertNotices(id: string): RecordError[] {
    const event = this.events.find((e) => e.id === id);
    return event
      ? [{ statusCode: 'OPERATION_ENQUEUED', message: String(event.fields.EventUuid), fields: [] }]
      : [];
  }

  /**
   * Reads every known field's value as its type without writing anything, so a collection call whose
   * JSON holds a value of the wrong type fails as a whole (JSON_PARSER_ERROR) before any record is saved.
   */
  checkJsonTypes(objectName: string, input: SObjectRecord): void {
    const object = this.data.object(objectName);
    if (!object || typeof input !== 'object' || input === null) return;
    for (const [key, raw] of Object.entries(input)) {
      const field = key === 'attributes' ? undefined : findField(object, key);
      if (field) coerceValue(field, raw);
    }
  }

  /** Resolves field names and converts values; strips `attributes`. */
  private readInput(
    object: SObjectDef,
    input: SObjectRecord,
    ctx: DmlContext,
    creating: boolean,
  ): Map<FieldDef, unknown> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new SalesforceApiError(
        400,
        'JSON_PARSER_ERROR',
        'Cannot deserialize instance of sObject from a non-object value',
      );
    }
    const values = new Map<FieldDef, unknown>();
    const unknown: string[] = [];
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const field = findField(object, key);
      if (!field) {
        unknown.push(key);
        continue;
      }
      values.set(field, coerceValue(field, raw));
    }
    if (unknown.length > 0) {
      throw recordError('INVALID_FIELD', `No such column '${unknown[0]}' on sobject of type ${object.name}`, [
        unknown[0]!,
      ]);
    }
    if (ctx.system) return values;
    const idField = [...values.keys()].find((f) => f.name === 'Id');
    if (idField && creating)
      throw recordError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
    if (idField) values.delete(idField);
    const readOnly = [...values.keys()]
      .filter((f) => (creating ? !f.createable : !f.updateable))
      .map((f) => f.name);
    if (readOnly.length > 0) {
      throw recordError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      );
    }
    return values;
  }

  /** Fields Salesforce derives: full names, closed flags, audit fields. */
  private derive(object: SObjectDef, record: SObjectRecord, ctx: DmlContext, creating: boolean): void {
    const now = formatDateTime(new Date());
    if (['User', 'Contact', 'Lead'].includes(object.name)) {
      record.Name = [record.FirstName, record.LastName].filter((v) => v).join(' ');
    }
    if (object.name === 'Task') record.IsClosed = record.Status === 'Completed';
    if (object.name === 'Opportunity') {
      record.IsClosed = String(record.StageName ?? '').startsWith('Closed');
      record.IsWon = record.StageName === 'Closed Won';
    }
    if (creating) {
      record.CreatedDate ??= now;
      record.CreatedById ??= ctx.userId;
      record.IsDeleted = false;
    }
    record.LastModifiedDate = creating ? (record.LastModifiedDate ?? record.CreatedDate) : now;
    record.LastModifiedById = ctx.userId;
    record.SystemModstamp = record.LastModifiedDate;
  }

  private assertWritable(object: SObjectDef, operation: 'inserted' | 'updated' | 'deleted'): void {
    if (object.kind === 'customMetadata') {
      throw new SalesforceApiError(
        400,
        'INVALID_TYPE_FOR_OPERATION',
        `entity type cannot be ${operation}: ${object.label}`,
      );
    }
    if (object.kind === 'platformEvent' && operation !== 'inserted') {
      throw new SalesforceApiError(
        400,
        'INVALID_TYPE_FOR_OPERATION',
        `entity type cannot be ${operation}: ${object.label}`,
      );
    }
  }

  insert(objectName: string, input: SObjectRecord, ctx: DmlContext): string {
    const object = this.objectOrThrow(objectName);
    this.assertWritable(object, 'inserted');
    const values = this.readInput(object, input, ctx, true);
    const record: SObjectRecord = {};
    for (const f of object.fields.values()) {
      if (f.defaultedOnCreate && f.defaultValue !== undefined) record[f.name] = f.defaultValue;
    }
    if (object.fields.has('ownerid')) record.OwnerId = ctx.userId;
    for (const [f, v] of values)
      record[f.name] = f.type === 'reference' && typeof v === 'string' ? (normaliseId(v) ?? v) : v;
    const changed = new Map(values);
    for (const f of object.fields.values())
      if (record[f.name] !== undefined && !changed.has(f)) changed.set(f, record[f.name]);
    this.checks.check(object, record, changed);
    const id =
      ctx.system && typeof record.Id === 'string'
        ? this.seededId(object, record.Id)
        : this.data.ids.next(object.keyPrefix);
    record.Id = id;
    if (object.kind === 'platformEvent') {
      const now = formatDateTime(new Date());
      this.events.push({
        id,
        sobject: object.name,
        fields: { ...record, CreatedDate: now, EventUuid: randomUUID() },
        publishedAt: now,
        publishedById: ctx.userId,
      });
      return id;
    }
    this.derive(object, record, ctx, true);
    this.data.put(object, record);
    return id;
  }

  private seededId(object: SObjectDef, raw: string): string {
    const id = normaliseId(raw);
    if (!id || id.slice(0, 3) !== object.keyPrefix)
      throw recordError('MALFORMED_ID', `${object.label} ID: id value of incorrect type: ${raw}`, ['Id']);
    if (this.data.table(object).has(id))
      throw recordError(
        'DUPLICATE_VALUE',
        `duplicate value found: Id duplicates value on record with id: ${id}`,
        [],
      );
    return id;
  }

  getRecord(object: SObjectDef, rawId: string): SObjectRecord {
    const id = normaliseId(rawId);
    if (!id || id.slice(0, 3) !== object.keyPrefix) {
      throw new SalesforceApiError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${rawId}`,
      );
    }
    const record =
      object.kind === 'customMetadata'
        ? this.data.all(object).find((r) => r.Id === id)
        : this.data.table(object).get(id);
    if (!record) throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return record;
  }

  update(objectName: string, rawId: string, input: SObjectRecord, ctx: DmlContext): string {
    const object = this.objectOrThrow(objectName);
    this.assertWritable(object, 'updated');
    const id = normaliseId(rawId);
    if (!id)
      throw recordError('MALFORMED_ID', `${object.label} ID: id value of incorrect type: ${rawId}`, ['Id']);
    if (id.slice(0, 3) !== object.keyPrefix) {
      throw recordError('MALFORMED_ID', `${object.label} ID: id value of incorrect type: ${rawId}`, ['Id']);
    }
    const existing = this.data.table(object).get(id);
    if (!existing) throw recordError('ENTITY_IS_DELETED', 'entity is deleted', []);
    const locked = this.lockedUpdates.get(object.name) ?? 0;
    if (locked > 0) {
      this.lockedUpdates.set(object.name, locked - 1);
      throw recordError(
        'UNABLE_TO_LOCK_ROW',
        `unable to obtain exclusive access to this record or 1 records: ${id}`,
        [],
      );
    }
    // A converted Lead is read-only to every API (the error jsforce and the REST API report).
    if (object.name === 'Lead' && existing.IsConverted === true && !ctx.system) {
      throw recordError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []);
    }
    const values = this.readInput(object, input, ctx, false);
    const record: SObjectRecord = { ...existing };
    for (const [f, v] of values)
      record[f.name] = f.type === 'reference' && typeof v === 'string' ? (normaliseId(v) ?? v) : v;
    this.checks.check(object, record, values, id);
    this.derive(object, record, ctx, false);
    this.data.put(object, record);
    return id;
  }

  delete(objectName: string, rawId: string): void {
    const object = this.objectOrThrow(objectName);
    this.assertWritable(object, 'deleted');
    const id = normaliseId(rawId);
    if (!id || id.slice(0, 3) !== object.keyPrefix) {
      throw recordError('MALFORMED_ID', `malformed id ${rawId}`, []);
    }
    if (!this.data.remove(object, id)) throw recordError('ENTITY_IS_DELETED', 'entity is deleted', []);
  }

  /** The external-id field for an upsert, or undefined when the name is not an External ID (or Id). */
  externalIdField(object: SObjectDef, fieldName: string): FieldDef | undefined {
    const field = findField(object, fieldName);
    if (!field) return undefined;
    return field.externalId || field.name === 'Id' ? field : undefined;
  }

  /** Records whose external id equals the value (text external ids match case-insensitively). */
  matchExternalId(object: SObjectDef, field: FieldDef, value: string): SObjectRecord[] {
    if (field.name === 'Id') {
      const id = normaliseId(value);
      const r = id ? this.data.table(object).get(id) : undefined;
      return r ? [r] : [];
    }
    return this.data.findByValue(object, field.name, value);
  }

  /** Upsert on an external id: created → insert, one match → update, several → MULTIPLE_CHOICES (300). */
  upsert(
    objectName: string,
    fieldName: string,
    value: string,
    input: SObjectRecord,
    ctx: DmlContext,
  ): { id: string; created: boolean } {
    const object = this.objectOrThrow(objectName);
    const field = this.externalIdField(object, fieldName);
    if (!field) {
      throw new SalesforceApiError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${fieldName}`,
      );
    }
    const matches = this.matchExternalId(object, field, value);
    if (matches.length > 1) {
      throw recordError(
        'DUPLICATE_EXTERNAL_ID',
        `${field.name}: more than one record found for external id field: [${matches.map((m) => String(m.Id)).join(', ')}]`,
        [field.name],
      );
    }
    const body = { ...input };
    for (const key of Object.keys(body)) if (key.toLowerCase() === field.name.toLowerCase()) delete body[key];
    if (matches.length === 1) {
      return { id: this.update(object.name, String(matches[0]!.Id), body, ctx), created: false };
    }
    if (field.name !== 'Id') body[field.name] = value;
    return { id: this.insert(object.name, body, ctx), created: true };
  }
}
