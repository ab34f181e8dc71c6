import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/** What one user may do, from the package's permission sets on top of a Standard User profile. */
export interface Access {
  classes: Set<string>;
  objects: Map<string, { read: boolean; create: boolean; edit: boolean; delete: boolean }>;
  customPermissions: Set<string>;
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const yes = (value: unknown) => value === true || value === 'true';

interface PermissionSetXml {
  classAccesses?: { apexClass: string; enabled: unknown }[];
  objectPermissions?: {
    object: string;
    allowRead: unknown;
    allowCreate: unknown;
    allowEdit: unknown;
    allowDelete: unknown;
  }[];
  customPermissions?: { name: string; enabled: unknown }[];
}

/**
 * A Standard User profile reads and edits the standard sales objects and runs no package class; the
 * package's permission sets add the rest. (The stand-in has no profiles: this is the workbench's model.)
 */
const STANDARD_USER_OBJECTS = ['Account', 'Contact', 'Opportunity', 'Lead', 'Task', 'Event', 'User'];

export function readPermissionSets(projectDir: string): Map<string, PermissionSetXml> {
  const dir = join(projectDir, 'force-app/main/default/permissionsets');
  const parser = new XMLParser({
    isArray: (name) =>
      ['classAccesses', 'objectPermissions', 'customPermissions', 'fieldPermissions'].includes(name),
  });
  const sets = new Map<string, PermissionSetXml>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.permissionset-meta.xml'))) {
    const doc = parser.parse(readFileSync(join(dir, file), 'utf8')) as { PermissionSet?: PermissionSetXml };
    sets.set(file.replace('.permissionset-meta.xml', ''), doc.PermissionSet ?? {});
  }
  return sets;
}

export function accessFor(permissionSetNames: string[], sets: Map<string, PermissionSetXml>): Access {
  const access: Access = { classes: new Set(), objects: new Map(), customPermissions: new Set() };
  for (const object of STANDARD_USER_OBJECTS) {
    access.objects.set(object, {
      read: true,
      create: object !== 'User',
      edit: object !== 'User',
      delete: false,
    });
  }
  for (const name of permissionSetNames) {
    const set = sets.get(name);
    if (!set)
      throw new Error(
        `The workbench persona names the permission set ${name}, which force-app does not have.`,
      );
    for (const entry of asList(set.classAccesses))
      if (yes(entry.enabled)) access.classes.add(entry.apexClass);
    for (const entry of asList(set.customPermissions))
      if (yes(entry.enabled)) access.customPermissions.add(entry.name);
    for (const entry of asList(set.objectPermissions)) {
      const current = access.objects.get(entry.object) ?? {
        read: false,
        create: false,
        edit: false,
        delete: false,
      };
      access.objects.set(entry.object, {
        read: current.read || yes(entry.allowRead),
        create: current.create || yes(entry.allowCreate),
        edit: current.edit || yes(entry.allowEdit),
        delete: current.delete || yes(entry.allowDelete),
      });
    }
  }
  return access;
}
