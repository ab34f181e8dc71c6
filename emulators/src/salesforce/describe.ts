import type { FieldDef, Schema, SObjectDef } from './schema/types.ts';

// Describe results in the shape the REST API returns (the subset jsforce and typical clients read).

function urls(o: SObjectDef, v: string): Record<string, string> {
  const base = `/services/data/v${v}/sobjects/${o.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function flags(o: SObjectDef) {
  const writable = o.kind === 'standard' || o.kind === 'custom';
  return {
    createable: writable || o.kind === 'platformEvent',
    updateable: writable,
    deletable: writable,
    queryable: o.kind !== 'platformEvent',
    retrieveable: o.kind !== 'platformEvent',
    searchable: writable,
    custom: o.kind !== 'standard',
    customSetting: false,
    layoutable: writable,
    triggerable: o.kind !== 'customMetadata',
  };
}

export function describeGlobal(schema: Schema, v: string) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...schema.objects.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => ({
        name: o.name,
        label: o.label,
        labelPlural: o.labelPlural,
        keyPrefix: o.keyPrefix,
        ...flags(o),
        urls: urls(o, v),
      })),
  };
}

export function describeSObjectBasic(o: SObjectDef, v: string) {
  return {
    name: o.name,
    label: o.label,
    labelPlural: o.labelPlural,
    keyPrefix: o.keyPrefix,
    ...flags(o),
    urls: urls(o, v),
  };
}

function describeField(f: FieldDef) {
  const text = [
    'string',
    'textarea',
    'email',
    'url',
    'phone',
    'picklist',
    'multipicklist',
    'combobox',
  ].includes(f.type);
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: `xsd:${f.type === 'boolean' ? 'boolean' : f.type === 'date' ? 'date' : f.type === 'datetime' ? 'dateTime' : ['double', 'currency', 'percent'].includes(f.type) ? 'double' : f.type === 'int' ? 'int' : 'string'}`,
    length: text ? (f.length ?? 0) : f.type === 'id' || f.type === 'reference' ? 18 : 0,
    byteLength: text ? (f.length ?? 0) * 3 : 0,
    precision: f.precision ?? 0,
    scale: f.scale ?? 0,
    digits: f.type === 'int' ? (f.precision ?? 9) : 0,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    defaultedOnCreate: f.defaultedOnCreate ?? false,
    defaultValue: f.defaultValue ?? null,
    calculated: f.calculated ?? false,
    custom: f.custom,
    unique: f.unique ?? false,
    caseSensitive: f.caseSensitive ?? false,
    externalId: f.externalId ?? false,
    idLookup: f.name === 'Id' || (f.externalId ?? false) || (f.unique ?? false),
    filterable: f.type !== 'textarea' || (f.length ?? 0) <= 255,
    sortable: f.type !== 'textarea' || (f.length ?? 0) <= 255,
    nameField: f.name === 'Name',
    picklistValues: (f.picklistValues ?? []).map((value) => ({
      active: true,
      defaultValue: value === f.defaultValue,
      label: value,
      validFor: null,
      value,
    })),
    restrictedPicklist: f.restrictedPicklist ?? false,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    polymorphicForeignKey: (f.referenceTo?.length ?? 0) > 1,
    cascadeDelete: false,
    htmlFormatted: false,
  };
}

export function describeSObject(schema: Schema, o: SObjectDef, v: string) {
  const childRelationships = [...schema.objects.values()].flatMap((child) =>
    [...child.fields.values()]
      .filter(
        (f) =>
          f.referenceTo?.includes(o.name) &&
          f.relationshipName &&
          !['CreatedById', 'LastModifiedById'].includes(f.name),
      )
      .map((f) => ({
        childSObject: child.name,
        field: f.name,
        relationshipName: null,
        cascadeDelete: false,
      })),
  );
  return {
    ...describeSObjectBasic(o, v),
    fields: [...o.fields.values()].map(describeField),
    childRelationships,
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
    urls: { ...urls(o, v), uiEditTemplate: '', uiDetailTemplate: '', uiNewRecord: '' },
  };
}
