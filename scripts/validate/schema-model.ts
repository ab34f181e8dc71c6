import { readFileSync } from 'node:fs';
import type { SfdxProject } from './project.ts';
import {
  ACTIVITY_OBJECTS,
  CUSTOM_METADATA_FIELDS,
  CUSTOM_OBJECT_FIELDS,
  CUSTOM_OBJECT_RELATIONSHIPS,
  PLATFORM_EVENT_FIELDS,
  STANDARD_OBJECTS,
  SYSTEM_FIELDS,
  SYSTEM_RELATIONSHIPS,
} from './standard-objects.ts';
import { childText, parseXml } from './xml-tree.ts';

export type FieldInfo = {
  object: string;
  name: string;
  type: string;
  required: boolean;
  /** Formula, auto-number and roll-up summary fields: read-only, so never editable in a permission set. */
  computed: boolean;
  referenceTo?: string;
  relationshipName?: string;
  file: string;
};

/** The objects and fields a reference can name: the package's own plus the committed standard list. */
export class SchemaModel {
  readonly customObjects = new Set<string>();
  /** Custom fields by object API name, as authored (Task/Event fields live under Activity). */
  readonly fields = new Map<string, Map<string, FieldInfo>>();

  constructor(project: SfdxProject) {
    for (const component of project.components) {
      if (component.type.name === 'CustomObject') this.customObjects.add(component.fullName);
      if (component.type.name !== 'CustomField' || !component.xml) continue;
      const [object = '', name = ''] = component.fullName.split('.');
      const parsed = parseXml(readFileSync(component.xml, 'utf8'));
      // A malformed field file is the xml check's to report; the field still exists for references.
      const root = parsed.ok ? parsed.root : undefined;
      const type = (root && childText(root, 'type')) ?? '';
      const info: FieldInfo = {
        object,
        name,
        type,
        required: (root && childText(root, 'required')) === 'true' || type === 'MasterDetail',
        computed: !!(root && childText(root, 'formula')) || type === 'AutoNumber' || type === 'Summary',
        referenceTo: root && childText(root, 'referenceTo'),
        relationshipName: root && childText(root, 'relationshipName'),
        file: component.xml,
      };
      if (!this.fields.has(object)) this.fields.set(object, new Map());
      this.fields.get(object)!.set(name, info);
    }
  }

  isCustomName(name: string): boolean {
    return /__(c|mdt|e|x|b)$/i.test(name);
  }

  /** The object's name as the package or the standard list spells it, or undefined if unknown. */
  object(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const known of [...this.customObjects, ...Object.keys(STANDARD_OBJECTS)]) {
      if (known.toLowerCase() === lower && known !== 'Name') return known;
    }
    return undefined;
  }

  /** Custom fields that belong to an object, Task/Event reading Activity's. */
  customFields(object: string): Map<string, FieldInfo> {
    const authoredUnder = ACTIVITY_OBJECTS.has(object) ? 'Activity' : object;
    return this.fields.get(authoredUnder) ?? new Map();
  }

  private find<T>(map: Map<string, T> | Record<string, T>, key: string): T | undefined {
    const entries = map instanceof Map ? [...map.entries()] : Object.entries(map);
    return entries.find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
  }

  field(object: string, name: string): FieldInfo | 'standard' | undefined {
    const custom = this.find(this.customFields(object), name);
    if (custom) return custom;
    const standard = [
      ...SYSTEM_FIELDS,
      ...(STANDARD_OBJECTS[object]?.fields ?? []),
      ...this.customObjectStandardFields(object),
    ];
    return standard.some((f) => f.toLowerCase() === name.toLowerCase()) ? 'standard' : undefined;
  }

  private customObjectStandardFields(object: string): string[] {
    if (!this.customObjects.has(object)) return [];
    if (object.endsWith('__mdt')) return CUSTOM_METADATA_FIELDS;
    if (object.endsWith('__e')) return PLATFORM_EVENT_FIELDS;
    return CUSTOM_OBJECT_FIELDS;
  }

  /** The object a relationship name (Account__r, Owner) leads to from `object`. */
  relationship(object: string, name: string): string | undefined {
    if (name.toLowerCase().endsWith('__r')) {
      const field = this.find(this.customFields(object), name.slice(0, -3) + '__c');
      return field?.referenceTo ? this.object(field.referenceTo) : undefined;
    }
    const standard =
      STANDARD_OBJECTS[object]?.relationships ??
      (this.customObjects.has(object) && !object.endsWith('__mdt') && !object.endsWith('__e')
        ? CUSTOM_OBJECT_RELATIONSHIPS
        : {});
    return this.find({ ...SYSTEM_RELATIONSHIPS, ...standard }, name);
  }

  /** The child object of a subquery's relationship name (Contacts on Account, Widgets__r on a parent). */
  childRelationship(parent: string, name: string): string | undefined {
    for (const fields of this.fields.values()) {
      for (const field of fields.values()) {
        if (
          field.referenceTo?.toLowerCase() === parent.toLowerCase() &&
          `${field.relationshipName}__r`.toLowerCase() === name.toLowerCase()
        ) {
          return field.object;
        }
      }
    }
    return this.find(STANDARD_OBJECTS[parent]?.children ?? {}, name);
  }

  /**
   * Resolve a dotted field path (Account__r.Owner.Name) from an object; undefined when it resolves,
   * otherwise what is wrong, in words.
   */
  checkPath(object: string, path: string): string | undefined {
    const parts = path.split('.');
    let current = object;
    for (const [index, part] of parts.entries()) {
      const last = index === parts.length - 1;
      if (last) {
        return this.field(current, part) ? undefined : this.unknownField(current, part);
      }
      const next = this.relationship(current, part);
      if (!next)
        return `${current} has no relationship ${part}${part.toLowerCase().endsWith('__r') ? ` (no lookup field ${part.slice(0, -3)}__c in the package)` : ''}`;
      current = next;
    }
    return undefined;
  }

  unknownField(object: string, field: string): string {
    if (this.isCustomName(field)) {
      const where = ACTIVITY_OBJECTS.has(object) ? 'objects/Activity/fields/' : `objects/${object}/fields/`;
      return `unknown field ${object}.${field}: no ${where}${field}.field-meta.xml in the package`;
    }
    if (object === 'Name')
      return `unknown field ${field} on a polymorphic lookup (What/Who/Owner): only Name-object fields are available`;
    return `unknown field ${object}.${field}: not a custom field in the package nor in the standard field list (scripts/validate/standard-objects.ts)`;
  }

  unknownObject(object: string): string {
    return this.isCustomName(object)
      ? `unknown object ${object}: no objects/${object}/${object}.object-meta.xml in the package`
      : `unknown object ${object}: not in the package nor in the standard object list (scripts/validate/standard-objects.ts)`;
  }
}
