/** The page's settings the workbench server renders into the page: the persona, the page, its links. */
export function workbenchConfig() {
  return globalThis.__workbench ?? {};
}

/** `@salesforce/customPermission/X`: true when a permission set of the persona grants X. */
export function hasCustomPermission(name) {
  return (workbenchConfig().persona?.customPermissions ?? []).includes(name);
}

/** `@salesforce/user/Id` */
export function currentUserId() {
  return workbenchConfig().persona?.userId;
}
