import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { systemFields } from './standard-objects.ts';
import type { FieldDef, FieldType } from './types.ts';

// Reads the Salesforce DX source of a project: custom objects, custom fields, custom metadata types and
// their records, platform events. Anything the stand-in cannot represent is an error naming the file.

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
});

type Xml = Record<string, unknown>;

export class SchemaLoadError extends Error {}

export interface ProjectObject {
  name: string;
  label?: string;
  labelPlural?: string;
  enableActivities: boolean;
  /** Set for custom settings (Hierarchy or List): they have no owner and no <nameField>. */
  customSettingsType?: string;
  nameField?: FieldDef;
  fields: FieldDef[];
}

export interface ProjectMetadata {
  objects: Map<string, ProjectObject>;
  /** Custom fields authored under objects/Activity/fields: they belong to Task and Event. */
  activityFields: FieldDef[];
  customMetadataRecords: {
    type: string;
    developerName: string;
    label: string;
    values: Record<string, string | null>;
  }[];
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string | undefined =>
  v === undefined || v === null
    ? undefined
    : typeof v === 'object'
      ? String((v as Xml)['#text'] ?? '')
      : String(v);
const bool = (v: unknown): boolean => text(v) === 'true';
const num = (v: unknown): number | undefined => (text(v) === undefined ? undefined : Number(text(v)));

function readXml(file: string, root: string): Xml {
  let doc: Xml;
  try {
    doc = parser.parse(readFileSync(file, 'utf8')) as Xml;
  } catch (err) {
    throw new SchemaLoadError(`${file}: not well-formed XML (${(err as Error).message})`);
  }
  const body = doc[root];
  if (!body || typeof body !== 'object')
    throw new SchemaLoadError(`${file}: expected a <${root}> root element`);
  return body as Xml;
}

function findDirs(dir: string, name: string, found: string[] = [], depth = 0): string[] {
  if (depth > 6 || !existsSync(dir)) return found;
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (!statSync(full).isDirectory()) continue;
    if (entry === name) found.push(full);
    else findDirs(full, name, found, depth + 1);
  }
  return found;
}

/** The package directories named in sfdx-project.json, or force-app when there is none. */
function packageDirs(projectDir: string): string[] {
  const projectFile = path.join(projectDir, 'sfdx-project.json');
  if (existsSync(projectFile)) {
    const project = JSON.parse(readFileSync(projectFile, 'utf8')) as {
      packageDirectories?: { path: string }[];
    };
    return (project.packageDirectories ?? []).map((p) => path.join(projectDir, p.path));
  }
  return [path.join(projectDir, 'force-app')];
}

const TYPE_MAP: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  EncryptedText: 'string',
  Email: 'email',
  Url: 'url',
  Phone: 'phone',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Lookup: 'reference',
  MasterDetail: 'reference',
  AutoNumber: 'string',
};

export function parseCustomField(file: string, objectName: string): FieldDef {
  const xml = readXml(file, 'CustomField');
  const name = text(xml.fullName) ?? path.basename(file).replace(/\.field-meta\.xml$/, '');
  const expected = path.basename(file).replace(/\.field-meta\.xml$/, '');
  if (name !== expected)
    throw new SchemaLoadError(`${file}: fullName ${name} does not match the file name ${expected}`);
  const xmlType = text(xml.type);
  if (!xmlType) throw new SchemaLoadError(`${file}: <type> is missing`);
  const type = TYPE_MAP[xmlType];
  if (!type)
    throw new SchemaLoadError(`${file}: field type ${xmlType} is not supported by the Salesforce stand-in`);
  const formula = text(xml.formula) !== undefined;
  const field: FieldDef = {
    name,
    label: text(xml.label) ?? name,
    type,
    nillable: !bool(xml.required) && type !== 'boolean' && xmlType !== 'MasterDetail',
    createable: !formula && xmlType !== 'AutoNumber',
    updateable: !formula && xmlType !== 'AutoNumber',
    calculated: formula || undefined,
    custom: true,
  };
  if (!name.endsWith('__c')) throw new SchemaLoadError(`${file}: a custom field name must end with __c`);
  if (['string', 'textarea'].includes(type) && xmlType !== 'AutoNumber') {
    field.length = num(xml.length) ?? (xmlType === 'TextArea' ? 255 : undefined);
    if (field.length === undefined) throw new SchemaLoadError(`${file}: <length> is required for ${xmlType}`);
  }
  if (type === 'email') field.length = 80;
  if (type === 'url') field.length = 255;
  if (type === 'phone') field.length = 40;
  if (['double', 'currency', 'percent'].includes(type)) {
    field.precision = num(xml.precision) ?? 18;
    field.scale = num(xml.scale) ?? 0;
  }
  if (bool(xml.unique)) {
    field.unique = true;
    field.caseSensitive = bool(xml.caseSensitive);
  }
  if (bool(xml.externalId)) field.externalId = true;
  if (type === 'boolean') {
    field.defaultedOnCreate = true;
    field.defaultValue = text(xml.defaultValue) === 'true';
  }
  if (type === 'reference') {
    const target = text(xml.referenceTo);
    if (!target) throw new SchemaLoadError(`${file}: <referenceTo> is required for ${xmlType}`);
    field.referenceTo = [target];
    field.relationshipName = name.replace(/__c$/, '__r');
  }
  if (type === 'picklist' || type === 'multipicklist') {
    const valueSet = xml.valueSet as Xml | undefined;
    const definition = valueSet?.valueSetDefinition as Xml | undefined;
    if (!definition)
      throw new SchemaLoadError(`${file}: a picklist needs <valueSet><valueSetDefinition> values`);
    const values = asArray(definition.value as Xml | Xml[]);
    field.picklistValues = values.map((v) => text(v.fullName) ?? '');
    field.restrictedPicklist = bool(valueSet?.restricted);
    const def = values.find((v) => bool(v.default));
    if (def) {
      field.defaultValue = text(def.fullName);
      field.defaultedOnCreate = true;
    }
  }
  void objectName;
  return field;
}

function parseObject(dir: string, name: string): ProjectObject {
  const metaFile = path.join(dir, `${name}.object-meta.xml`);
  const object: ProjectObject = { name, enableActivities: false, fields: [] };
  if (existsSync(metaFile)) {
    const xml = readXml(metaFile, 'CustomObject');
    object.label = text(xml.label);
    object.labelPlural = text(xml.pluralLabel);
    object.enableActivities = bool(xml.enableActivities);
    object.customSettingsType = text(xml.customSettingsType);
    const nameField = xml.nameField as Xml | undefined;
    if (nameField) {
      const auto = text(nameField.type) === 'AutoNumber';
      object.nameField = {
        name: 'Name',
        label: text(nameField.label) ?? 'Name',
        type: 'string',
        length: 80,
        nillable: auto,
        defaultedOnCreate: auto || undefined,
        createable: !auto,
        updateable: !auto,
        custom: false,
      };
    }
  } else if (name.includes('__')) {
    throw new SchemaLoadError(`${dir}: ${name}.object-meta.xml is missing`);
  }
  const fieldsDir = path.join(dir, 'fields');
  if (existsSync(fieldsDir)) {
    for (const f of readdirSync(fieldsDir).sort()) {
      if (f.endsWith('.field-meta.xml')) object.fields.push(parseCustomField(path.join(fieldsDir, f), name));
    }
  }
  return object;
}

function parseCustomMetadataRecord(file: string): ProjectMetadata['customMetadataRecords'][number] {
  const base = path.basename(file).replace(/\.md-meta\.xml$/, '');
  const dot = base.indexOf('.');
  if (dot < 0) throw new SchemaLoadError(`${file}: expected a file name Type.Record.md-meta.xml`);
  const xml = readXml(file, 'CustomMetadata');
  const values: Record<string, string | null> = {};
  for (const v of asArray(xml.values as Xml | Xml[])) {
    const field = text(v.field);
    if (!field) throw new SchemaLoadError(`${file}: a <values> entry has no <field>`);
    const value = v.value as Xml | string | undefined;
    const nil = typeof value === 'object' && value !== null && value['@_xsi:nil'] === 'true';
    values[field] = nil || value === undefined ? null : (text(value) ?? null);
  }
  return {
    type: base.slice(0, dot),
    developerName: base.slice(dot + 1),
    label: text(xml.label) ?? base,
    values,
  };
}

export function readProjectMetadata(projectDir: string): ProjectMetadata {
  const result: ProjectMetadata = { objects: new Map(), activityFields: [], customMetadataRecords: [] };
  for (const pkg of packageDirs(projectDir)) {
    for (const objectsDir of findDirs(pkg, 'objects')) {
      for (const name of readdirSync(objectsDir).sort()) {
        const dir = path.join(objectsDir, name);
        if (!statSync(dir).isDirectory()) continue;
        if ((name === 'Task' || name === 'Event') && existsSync(path.join(dir, 'fields'))) {
          const files = readdirSync(path.join(dir, 'fields'));
          if (files.length > 0) {
            throw new SchemaLoadError(
              `${path.join(dir, 'fields', files[0] ?? '')}: custom fields of ${name} must be authored under ` +
                `objects/Activity/fields/ (the Metadata API rejects ${name} as a custom field parent; Activity ` +
                `fields apply to both Task and Event)`,
            );
          }
        }
        const parsed = parseObject(dir, name);
        if (name === 'Activity') result.activityFields.push(...parsed.fields);
        else result.objects.set(name, parsed);
      }
    }
    for (const mdDir of findDirs(pkg, 'customMetadata')) {
      for (const f of readdirSync(mdDir).sort()) {
        if (f.endsWith('.md-meta.xml'))
          result.customMetadataRecords.push(parseCustomMetadataRecord(path.join(mdDir, f)));
      }
    }
  }
  return result;
}

export { systemFields };
