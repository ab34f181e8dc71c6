import type { RecordError } from './errors.ts';
import { recordError, RecordValidationError } from './errors.ts';
import { normaliseId } from './ids.ts';
import type { OrgData, SObjectRecord } from './org-data.ts';
import type { FieldDef, SObjectDef } from './schema/types.ts';

// The checks a real org applies to a record before saving it, in its order: required fields, then each
// value (length, restricted picklist, email, number range, lookups and owners), then unique values.

export class RecordChecks {
  constructor(private readonly data: OrgData) {}

  /** Throws RecordValidationError when the record breaks a rule; `changed` holds the values written. */
  check(object: SObjectDef, record: SObjectRecord, changed: Map<FieldDef, unknown>, selfId?: string): void {
    const missing = [...object.fields.values()]
      .filter((f) => !f.nillable && f.createable && (record[f.name] === null || record[f.name] === undefined))
      .map((f) => f.name);
    if (missing.length > 0) {
      throw recordError(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      );
    }
    const errors: RecordError[] = [];
    for (const [field, value] of changed) {
      if (value === null || value === undefined) continue;
      const err = this.checkValue(object, field, value);
      if (err) errors.push(err);
    }
    if (errors.length > 0) throw new RecordValidationError(errors);
    for (const [field, value] of changed) {
      if (!field.unique || value === null || value === undefined) continue;
      const same = (other: unknown): boolean =>
        typeof other === 'string' && typeof value === 'string'
          ? field.caseSensitive
            ? other === value
            : other.toLowerCase() === value.toLowerCase()
          : other === value;
      const clash = this.data
        .findByValue(object, field.name, value)
        .find((r) => r.Id !== selfId && same(r[field.name]));
      if (clash) {
        throw recordError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${String(clash.Id)}`,
          [],
        );
      }
    }
  }

  private checkValue(object: SObjectDef, field: FieldDef, value: unknown): RecordError | undefined {
    const fail = (statusCode: string, message: string): RecordError => ({
      statusCode,
      message,
      fields: [field.name],
    });
    if (
      typeof value === 'string' &&
      field.length !== undefined &&
      field.type !== 'reference' &&
      value.length > field.length
    ) {
      return fail(
        'STRING_TOO_LONG',
        `${field.label}: data value too large: ${value} (max length=${field.length})`,
      );
    }
    if (
      field.type === 'picklist' &&
      field.restrictedPicklist &&
      !field.picklistValues?.includes(String(value))
    ) {
      return fail(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${field.label}: bad value for restricted picklist field: ${String(value)}`,
      );
    }
    if (field.type === 'multipicklist' && field.restrictedPicklist) {
      const bad = String(value)
        .split(';')
        .find((v) => !field.picklistValues?.includes(v));
      if (bad !== undefined) {
        return fail(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${bad}`,
        );
      }
    }
    if (field.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(value))) {
      return fail('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${String(value)}`);
    }
    if (typeof value === 'number' && field.precision !== undefined) {
      const scale = field.scale ?? 0;
      if (Math.abs(value) >= 10 ** (field.precision - scale)) {
        return fail(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${field.label}: value outside of valid range on numeric field: ${value}`,
        );
      }
    }
    if (field.type === 'reference') return this.checkReference(object, field, String(value));
    return undefined;
  }

  private checkReference(object: SObjectDef, field: FieldDef, value: string): RecordError | undefined {
    const fail = (statusCode: string, message: string): RecordError => ({
      statusCode,
      message,
      fields: [field.name],
    });
    const id = normaliseId(value);
    if (!id) return fail('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`);
    const targets = (field.referenceTo ?? []).map((t) => this.data.object(t)).filter((t) => t !== undefined);
    const target = targets.find((t) => t.keyPrefix === id.slice(0, 3));
    if (!target)
      return fail('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`);
    const record = this.data.table(target).get(id);
    if (!record) return fail('INVALID_CROSS_REFERENCE_KEY', `${field.label}: invalid cross reference id`);
    if (field.name === 'OwnerId' && target.name === 'User' && record.IsActive !== true) {
      return fail(
        'INACTIVE_OWNER_OR_USER',
        `operation performed with inactive user [${id}] as owner of ${object.label.toLowerCase()}`,
      );
    }
    return undefined;
  }
}
