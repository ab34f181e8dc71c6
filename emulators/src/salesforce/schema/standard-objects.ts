import { readFileSync } from 'node:fs';
import type { FieldDef, FieldType, SObjectDef } from './types.ts';

interface StandardFieldJson {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  precision?: number;
  scale?: number;
  nillable?: boolean;
  defaultedOnCreate?: boolean;
  createable?: boolean;
  updateable?: boolean;
  calculated?: boolean;
  unique?: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  defaultValue?: string | boolean | number;
  referenceTo?: string[];
  relationshipName?: string;
}

interface StandardObjectJson {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  activity?: boolean;
  fields: StandardFieldJson[];
}

/** Marker in referenceTo: "every custom object with activities enabled" (resolved after force-app is read). */
export const ACTIVITY_ENABLED_MARKER = '*activityEnabledCustomObjects';

/** The system fields every sObject has (Salesforce Object Reference, "System Fields"). */
export function systemFields(): FieldDef[] {
  const readOnly = {
    nillable: false,
    createable: false,
    updateable: false,
    custom: false,
    defaultedOnCreate: true,
  };
  const userRef = { type: 'reference' as const, referenceTo: ['User'] };
  return [
    { name: 'Id', label: 'Record ID', type: 'id', length: 18, ...readOnly },
    { name: 'IsDeleted', label: 'Deleted', type: 'boolean', ...readOnly },
    { name: 'CreatedDate', label: 'Created Date', type: 'datetime', ...readOnly },
    { name: 'CreatedById', label: 'Created By ID', ...userRef, relationshipName: 'CreatedBy', ...readOnly },
    { name: 'LastModifiedDate', label: 'Last Modified Date', type: 'datetime', ...readOnly },
    {
      name: 'LastModifiedById',
      label: 'Last Modified By ID',
      ...userRef,
      relationshipName: 'LastModifiedBy',
      ...readOnly,
    },
    { name: 'SystemModstamp', label: 'System Modstamp', type: 'datetime', ...readOnly },
  ];
}

export function fieldMap(fields: FieldDef[]): Map<string, FieldDef> {
  return new Map(fields.map((f) => [f.name.toLowerCase(), f]));
}

/** The committed description of the standard objects (standard-objects.json beside this file). */
export function loadStandardObjects(): { objects: SObjectDef[]; activityObjects: string[] } {
  const url = new URL('./standard-objects.json', import.meta.url);
  const json = JSON.parse(readFileSync(url, 'utf8')) as { objects: StandardObjectJson[] };
  const objects = json.objects.map((o): SObjectDef => {
    const fields: FieldDef[] = o.fields.map((f) => ({
      ...f,
      nillable: f.nillable ?? true,
      createable: f.createable ?? true,
      updateable: f.updateable ?? true,
      custom: false,
    }));
    return {
      name: o.name,
      label: o.label,
      labelPlural: o.labelPlural,
      keyPrefix: o.keyPrefix,
      kind: 'standard',
      fields: fieldMap([...systemFields(), ...fields]),
    };
  });
  return { objects, activityObjects: json.objects.filter((o) => o.activity).map((o) => o.name) };
}
