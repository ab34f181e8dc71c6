import { IdFactory } from './ids.ts';
import type { Schema, SObjectDef } from './schema/types.ts';
import { findObject } from './schema/types.ts';

export type SObjectRecord = Record<string, unknown>;

/**
 * The org's records in memory, per sObject (canonical name) and 18-character id, with an index on
 * unique and external-id fields (lower-cased values) so upserts and duplicate checks stay fast.
 */
export class OrgData {
  readonly ids = new IdFactory();
  private tables = new Map<string, Map<string, SObjectRecord>>();
  private indexes = new Map<string, Map<string, Set<string>>>();

  constructor(readonly schema: Schema) {}

  private indexedFields(object: SObjectDef): string[] {
    return [...object.fields.values()].filter((f) => f.externalId || f.unique).map((f) => f.name);
  }

  private index(object: SObjectDef, field: string): Map<string, Set<string>> {
    const key = `${object.name}.${field}`;
    let idx = this.indexes.get(key);
    if (!idx) {
      idx = new Map();
      this.indexes.set(key, idx);
    }
    return idx;
  }

  private indexRecord(object: SObjectDef, record: SObjectRecord, add: boolean): void {
    for (const field of this.indexedFields(object)) {
      const value = record[field];
      if (value === null || value === undefined) continue;
      const idx = this.index(object, field);
      const key = String(value).toLowerCase();
      const ids = idx.get(key) ?? new Set<string>();
      if (add) ids.add(String(record.Id));
      else ids.delete(String(record.Id));
      if (ids.size > 0) idx.set(key, ids);
      else idx.delete(key);
    }
  }

  /** Inserts or replaces a record. */
  put(object: SObjectDef, record: SObjectRecord): void {
    const table = this.tableOf(object);
    const id = String(record.Id);
    const old = table.get(id);
    if (old) this.indexRecord(object, old, false);
    table.set(id, record);
    this.indexRecord(object, record, true);
  }

  remove(object: SObjectDef, id: string): boolean {
    const table = this.tableOf(object);
    const old = table.get(id);
    if (!old) return false;
    this.indexRecord(object, old, false);
    return table.delete(id);
  }

  /** Records whose unique or external-id field equals the value, compared case-insensitively. */
  findByValue(object: SObjectDef, field: string, value: unknown): SObjectRecord[] {
    if (object.kind === 'customMetadata') {
      const wanted = String(value).toLowerCase();
      return this.all(object).filter(
        (r) => r[field] !== null && r[field] !== undefined && String(r[field]).toLowerCase() === wanted,
      );
    }
    const ids = this.index(object, field).get(String(value).toLowerCase());
    const table = this.table(object);
    return ids ? [...ids].map((id) => table.get(id)!) : [];
  }

  /** Read access to one object's records by id (writes go through put and remove). */
  table(object: SObjectDef): ReadonlyMap<string, SObjectRecord> {
    return this.tableOf(object);
  }

  private tableOf(object: SObjectDef): Map<string, SObjectRecord> {
    let t = this.tables.get(object.name);
    if (!t) {
      t = new Map();
      this.tables.set(object.name, t);
    }
    return t;
  }

  /** All records of an object; custom metadata records come from the project. */
  all(object: SObjectDef): SObjectRecord[] {
    if (object.kind === 'customMetadata') return this.schema.customMetadataRecords.get(object.name) ?? [];
    return [...this.table(object).values()];
  }

  /** Finds a record by id in whichever object its key prefix names. */
  byId(id: string): { object: SObjectDef; record: SObjectRecord } | undefined {
    for (const object of this.schema.objects.values()) {
      if (object.keyPrefix !== id.slice(0, 3)) continue;
      const record =
        object.kind === 'customMetadata'
          ? this.all(object).find((r) => r.Id === id)
          : this.table(object).get(id);
      return record ? { object, record } : undefined;
    }
    return undefined;
  }

  object(name: string): SObjectDef | undefined {
    return findObject(this.schema, name);
  }

  snapshot(): Map<string, Map<string, SObjectRecord>> {
    return new Map([...this.tables].map(([k, t]) => [k, new Map([...t].map(([id, r]) => [id, { ...r }]))]));
  }

  restore(snapshot: Map<string, Map<string, SObjectRecord>>): void {
    this.tables = snapshot;
    this.indexes = new Map();
    for (const [name, table] of this.tables) {
      const object = this.object(name)!;
      for (const record of table.values()) this.indexRecord(object, record, true);
    }
  }

  clear(): void {
    this.tables = new Map();
    this.indexes = new Map();
  }
}
