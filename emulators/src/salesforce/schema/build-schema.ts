import { existsSync } from 'node:fs';
import { IdFactory } from '../ids.ts';
import { readProjectMetadata, SchemaLoadError } from './project-metadata.ts';
import { ACTIVITY_ENABLED_MARKER, fieldMap, loadStandardObjects, systemFields } from './standard-objects.ts';
import type { FieldDef, Schema, SObjectDef } from './types.ts';

// Joins the committed standard-object description with the project's custom objects, custom metadata
// types (and their records) and platform events into one schema.

const ownerField = (): FieldDef => ({
  name: 'OwnerId',
  label: 'Owner ID',
  type: 'reference',
  referenceTo: ['User'],
  relationshipName: 'Owner',
  nillable: false,
  defaultedOnCreate: true,
  createable: true,
  updateable: true,
  custom: false,
});

const readOnlyText = (name: string, label: string, length: number): FieldDef => ({
  name,
  label,
  type: 'string',
  length,
  nillable: true,
  createable: false,
  updateable: false,
  custom: false,
});

/** Key prefixes for custom objects (a00, a01, ...), custom metadata types (m00, ...) and events (e00, ...). */
const prefixFor = (letter: string, index: number): string =>
  `${letter}0${'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.charAt(index)}`;

function coerceMetadataValue(field: FieldDef, value: string | null): unknown {
  if (value === null) return null;
  switch (field.type) {
    case 'boolean':
      return value === 'true';
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return Number(value);
    default:
      return value;
  }
}

export function buildSchema(projectDir: string | undefined): Schema {
  const standard = loadStandardObjects();
  const objects = new Map<string, SObjectDef>(standard.objects.map((o) => [o.name.toLowerCase(), o]));
  const schema: Schema = { objects, customMetadataRecords: new Map() };
  if (!projectDir) return finishReferences(schema, []);
  if (!existsSync(projectDir)) throw new SchemaLoadError(`project directory ${projectDir} does not exist`);

  const project = readProjectMetadata(projectDir);
  const counters = { a: 0, m: 0, e: 0 };
  const activityEnabled: string[] = [];
  for (const [name, parsed] of [...project.objects].sort(([a], [b]) => a.localeCompare(b))) {
    const existing = objects.get(name.toLowerCase());
    if (existing) {
      for (const f of parsed.fields) existing.fields.set(f.name.toLowerCase(), f);
      continue;
    }
    if (!name.includes('__')) continue; // a standard object the stand-in does not describe (list views etc.)
    const label = parsed.label ?? name;
    const labelPlural = parsed.labelPlural ?? label;
    if (name.endsWith('__c') && parsed.customSettingsType) {
      // Custom settings: Name (required for List settings) and, for Hierarchy settings, SetupOwnerId, the
      // org, profile or user the values apply to (kept as a plain id: the stand-in has no Organization or
      // Profile objects).
      const hierarchy = parsed.customSettingsType === 'Hierarchy';
      const nameField: FieldDef = {
        ...readOnlyText('Name', 'Name', 38),
        nillable: hierarchy,
        createable: true,
        updateable: true,
        defaultedOnCreate: hierarchy || undefined,
      };
      const setupOwner: FieldDef = {
        ...readOnlyText('SetupOwnerId', 'Location', 18),
        createable: true,
        updateable: true,
      };
      objects.set(name.toLowerCase(), {
        name,
        label,
        labelPlural,
        keyPrefix: prefixFor('a', counters.a++),
        kind: 'custom',
        fields: fieldMap([
          ...systemFields(),
          nameField,
          ...(hierarchy ? [setupOwner] : []),
          ...parsed.fields,
        ]),
      });
    } else if (name.endsWith('__c')) {
      if (!parsed.nameField) throw new SchemaLoadError(`custom object ${name}: <nameField> is missing`);
      const detail = parsed.fields.some((f) => f.type === 'reference' && !f.nillable && f.custom);
      const fields = [
        ...systemFields(),
        parsed.nameField,
        ...(detail ? [] : [ownerField()]),
        ...parsed.fields,
      ];
      objects.set(name.toLowerCase(), {
        name,
        label,
        labelPlural,
        keyPrefix: prefixFor('a', counters.a++),
        kind: 'custom',
        fields: fieldMap(fields),
      });
      if (parsed.enableActivities) activityEnabled.push(name);
    } else if (name.endsWith('__mdt')) {
      const fields = [
        { ...systemFields()[0]! },
        readOnlyText('DeveloperName', 'Custom Metadata Record Name', 40),
        readOnlyText('MasterLabel', 'Label', 40),
        readOnlyText('Label', 'Label', 40),
        readOnlyText('QualifiedApiName', 'Qualified API Name', 70),
        readOnlyText('NamespacePrefix', 'Namespace Prefix', 15),
        readOnlyText('Language', 'Master Language', 40),
        ...parsed.fields.map((f) => ({ ...f, createable: false, updateable: false })),
      ];
      objects.set(name.toLowerCase(), {
        name,
        label,
        labelPlural,
        keyPrefix: prefixFor('m', counters.m++),
        kind: 'customMetadata',
        fields: fieldMap(fields),
      });
    } else if (name.endsWith('__e')) {
      const sys = systemFields();
      const fields = [
        sys.find((f) => f.name === 'CreatedDate')!,
        sys.find((f) => f.name === 'CreatedById')!,
        readOnlyText('ReplayId', 'Replay ID', 255),
        readOnlyText('EventUuid', 'Event UUID', 36),
        ...parsed.fields,
      ];
      objects.set(name.toLowerCase(), {
        name,
        label,
        labelPlural,
        keyPrefix: prefixFor('e', counters.e++),
        kind: 'platformEvent',
        fields: fieldMap(fields),
      });
    } else {
      throw new SchemaLoadError(`object ${name}: unsupported object suffix (expected __c, __mdt or __e)`);
    }
  }

  for (const activity of ['task', 'event']) {
    const obj = objects.get(activity);
    if (obj) for (const f of project.activityFields) obj.fields.set(f.name.toLowerCase(), { ...f });
  }

  const ids = new IdFactory('0M');
  for (const rec of project.customMetadataRecords) {
    const typeName = `${rec.type}__mdt`;
    const type = objects.get(typeName.toLowerCase());
    if (!type)
      throw new SchemaLoadError(
        `custom metadata record ${rec.type}.${rec.developerName}: type ${typeName} is not defined`,
      );
    const record: Record<string, unknown> = {
      Id: ids.next(type.keyPrefix),
      DeveloperName: rec.developerName,
      MasterLabel: rec.label,
      Label: rec.label,
      QualifiedApiName: rec.developerName,
      NamespacePrefix: null,
      Language: 'en_US',
    };
    for (const f of type.fields.values()) if (f.custom) record[f.name] = null;
    for (const [fieldName, value] of Object.entries(rec.values)) {
      const field = type.fields.get(fieldName.toLowerCase());
      if (!field || !field.custom) {
        throw new SchemaLoadError(
          `custom metadata record ${rec.type}.${rec.developerName}: ${typeName} has no field ${fieldName}`,
        );
      }
      record[field.name] = coerceMetadataValue(field, value);
    }
    const list = schema.customMetadataRecords.get(type.name) ?? [];
    list.push(record);
    schema.customMetadataRecords.set(type.name, list);
  }
  return finishReferences(schema, activityEnabled);
}

/** Resolves WhatId's "activity-enabled custom objects" and checks every lookup names a known object. */
function finishReferences(schema: Schema, activityEnabled: string[]): Schema {
  for (const obj of schema.objects.values()) {
    for (const f of obj.fields.values()) {
      if (!f.referenceTo) continue;
      f.referenceTo = f.referenceTo.flatMap((t) => (t === ACTIVITY_ENABLED_MARKER ? activityEnabled : [t]));
      for (const target of f.referenceTo) {
        const resolved = schema.objects.get(target.toLowerCase());
        if (!resolved)
          throw new SchemaLoadError(`${obj.name}.${f.name}: references unknown object ${target}`);
      }
      f.referenceTo = f.referenceTo.map((t) => schema.objects.get(t.toLowerCase())!.name);
    }
  }
  return schema;
}
