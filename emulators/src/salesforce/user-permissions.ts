import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { OrgContext } from './context.ts';
import { SalesforceApiError } from './errors.ts';
import type { FieldDef, SObjectDef } from './schema/types.ts';

/** The permission set the service's Salesforce user is given in a real org (docs/install.md). */
export const INTEGRATION_PERMISSION_SET = 'Teams_Bridge_Integration';

/** What the System Administrator profile grants that the stand-in checks. */
export const ADMIN_PERMISSIONS = ['ApiEnabled', 'ViewAllData', 'ModifyAllData', 'CustomizeApplication'];

/** System permissions per user id (profile + permission sets, flattened). */
export class UserPermissions {
  private readonly byUser = new Map<string, Set<string>>();

  set(userId: string, permissions: Iterable<string>): void {
    this.byUser.set(userId, new Set(permissions));
  }

  of(userId: string): string[] {
    return [...(this.byUser.get(userId) ?? [])].sort();
  }

  has(userId: string, permission: string): boolean {
    return this.byUser.get(userId)?.has(permission) ?? false;
  }
}

/**
 * The `<userPermissions>` a permission set of the project enables, read from its source
 * (`<package dir>/.../permissionsets/<name>.permissionset-meta.xml`); undefined when the project has none.
 */
export function permissionSetUserPermissions(
  projectDir: string | undefined,
  name: string,
): string[] | undefined {
  if (!projectDir) return undefined;
  const candidates = [
    path.join(projectDir, 'force-app', 'main', 'default', 'permissionsets', `${name}.permissionset-meta.xml`),
  ];
  const file = candidates.find((f) => existsSync(f));
  if (!file) return undefined;
  const parsed = new XMLParser({ isArray: (tag) => tag === 'userPermissions' }).parse(
    readFileSync(file, 'utf8'),
  ) as {
    PermissionSet?: { userPermissions?: { enabled?: boolean | string; name?: string }[] };
  };
  return (parsed.PermissionSet?.userPermissions ?? [])
    .filter((p) => String(p.enabled) === 'true' && typeof p.name === 'string')
    .map((p) => p.name!);
}

/**
 * REST API, sObject upsert: "If you're upserting a record for an object that has the External ID attribute
 * selected but not the Unique attribute selected (a non-unique index), your client application must have the
 * permission View All Data to execute this call." Refused as the platform refuses it.
 */
export function requireUpsertAccess(
  ctx: OrgContext,
  userId: string,
  object: SObjectDef,
  field: FieldDef,
): void {
  if (field.name === 'Id' || field.unique) return;
  if (ctx.permissions.has(userId, 'ViewAllData')) return;
  throw new SalesforceApiError(
    400,
    'INSUFFICIENT_ACCESS',
    `Upsert requires view all data on a non-unique custom index (${object.name}.${field.name} is an External ID without Unique)`,
  );
}
