/** Field data types as the describe call names them. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'url'
  | 'phone'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'reference';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Maximum characters for text types. */
  length?: number;
  precision?: number;
  scale?: number;
  /** false: the field may not be null (REQUIRED_FIELD_MISSING unless defaultedOnCreate). */
  nillable: boolean;
  defaultedOnCreate?: boolean;
  createable: boolean;
  updateable: boolean;
  /** Formula or system-computed fields (Name on User, Contact and Lead). */
  calculated?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  externalId?: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  defaultValue?: string | boolean | number;
  referenceTo?: string[];
  relationshipName?: string;
  custom: boolean;
}

export type SObjectKind = 'standard' | 'custom' | 'customMetadata' | 'platformEvent';

export interface SObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  kind: SObjectKind;
  /** Field definitions keyed by lower-case API name (Salesforce names are case-insensitive). */
  fields: Map<string, FieldDef>;
}

export interface Schema {
  /** sObjects keyed by lower-case API name. */
  objects: Map<string, SObjectDef>;
  /** Custom metadata records read from the project, per type name. */
  customMetadataRecords: Map<string, Record<string, unknown>[]>;
}

export function findObject(schema: Schema, name: string): SObjectDef | undefined {
  return schema.objects.get(name.toLowerCase());
}

export function findField(object: SObjectDef, name: string): FieldDef | undefined {
  return object.fields.get(name.toLowerCase());
}

export function objectByKeyPrefix(schema: Schema, prefix: string): SObjectDef | undefined {
  for (const o of schema.objects.values()) if (o.keyPrefix === prefix) return o;
  return undefined;
}

/** Relationship name → reference field, e.g. Owner → OwnerId, Opportunity__r → Opportunity__c. */
export function findRelationship(object: SObjectDef, relationshipName: string): FieldDef | undefined {
  const wanted = relationshipName.toLowerCase();
  for (const f of object.fields.values()) {
    if (f.type === 'reference' && f.relationshipName?.toLowerCase() === wanted) return f;
  }
  return undefined;
}
