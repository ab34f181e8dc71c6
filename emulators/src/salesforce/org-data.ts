import { IdFactory } from './ids.ts';
import type { Schema, SObjectDef } from './schema/types.ts';
import { findObject } from './schema/types.ts';

export type SObjectRecord = Record<string, unknown>;

/** The org's records in memory, per sObject (canonical name) and 18-character id. */
export class OrgData {
  readonly ids = new IdFactory();
  private tables = new Map<string, Map<string, SObjectRecord>>();

  constructor(readonly schema: Schema) {}

  table(object: SObjectDef): Map<string, SObjectRecord> {
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
  }

  clear(): void {
    this.tables = new Map();
  }
}
