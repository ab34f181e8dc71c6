import type { ApexClass, ApexMethod } from './context.ts';
import { teamsBridgeAdminController } from './teams-bridge-admin-controller.ts';
import { teamsChannelLinkController } from './teams-channel-link-controller.ts';
import { teamsConversationController } from './teams-conversation-controller.ts';

/**
 * The Apex classes the components call, one module each. `@salesforce/apex/Class.method` resolves through this
 * table at build time (an unknown name fails the build) and at run time (an unknown name answers 404 with it).
 * Renaming or splitting a controller is a change of `name` or of which module holds a method.
 */
export const APEX_CLASSES: readonly ApexClass[] = [
  teamsConversationController,
  teamsChannelLinkController,
  teamsBridgeAdminController,
];

const table = new Map<string, { className: string; method: ApexMethod }>();
for (const apexClass of APEX_CLASSES) {
  for (const [methodName, method] of Object.entries(apexClass.methods)) {
    const key = `${apexClass.name}.${methodName}`;
    if (table.has(key)) throw new Error(`The workbench Apex table names ${key} twice.`);
    table.set(key, { className: apexClass.name, method });
  }
}

export function apexMethodNames(): ReadonlySet<string> {
  return new Set(table.keys());
}

export function findApexMethod(name: string) {
  return table.get(name);
}
