import type { ApexClass, ApexMethod } from './context.ts';
import { teamsBridgeAdminController } from './teams-bridge-admin-controller.ts';
import { teamsChannelLinkController } from './teams-channel-link-controller.ts';
import { teamsConversationController } from './teams-conversation-controller.ts';
import { teamsUnassignedMeetingsController } from './teams-unassigned-meetings-controller.ts';

/**
 * The Apex classes the components call, one module each. `@salesforce/apex/Class.method` resolves through this
 * table at build time (an unknown name fails the build) and at run time (an unknown name answers 404 with it).
 * Renaming or splitting a controller is a change of `name` or of which module holds a method.
 */
/** The admin tab: one Apex controller per panel, served by the one workbench module. */
const ADMIN_CONTROLLERS: Record<string, string[]> = {
  TeamsUserMappingsController: ['getUserMappings', 'updateMapping', 'autoMatchMappings'],
  TeamsChannelHealthController: ['getChannelHealth', 'renewSubscription'],
  TeamsRulesController: ['getRules'],
  TeamsActivityLogController: ['getActivityLog'],
  TeamsDeadLettersController: ['getDeadLetters', 'retryDeadLetter'],
  TeamsServiceHealthController: ['getServiceStatus', 'resumeOutbound'],
  TeamsOutboundFailuresController: ['getOutboundFailures', 'retryOutboundFailure'],
};

const adminControllers: ApexClass[] = Object.entries(ADMIN_CONTROLLERS).map(([name, methods]) => ({
  name,
  methods: Object.fromEntries(
    methods.map((method) => {
      const implementation = teamsBridgeAdminController.methods[method];
      if (!implementation) throw new Error(`The workbench admin module has no ${method} for ${name}.`);
      return [method, implementation];
    }),
  ),
}));

export const APEX_CLASSES: readonly ApexClass[] = [
  teamsConversationController,
  teamsChannelLinkController,
  teamsUnassignedMeetingsController,
  ...adminControllers,
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
