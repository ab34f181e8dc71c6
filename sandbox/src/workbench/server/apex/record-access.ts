import { type ApexContext, quote, withMessage } from './context.ts';

const LINKABLE: Record<string, string> = { '006': 'Opportunity', '001': 'Account' };

/**
 * TeamsRecordAccess: the record must be an Opportunity or Account the persona can see (edit). The stand-in has
 * no sharing, so access is the object permission; the record must exist.
 */
async function load(ctx: ApexContext, recordId: unknown): Promise<{ object: string }> {
  const object = typeof recordId === 'string' ? LINKABLE[recordId.slice(0, 3)] : undefined;
  if (!object) throw withMessage('Teams channels can be linked to Opportunities and Accounts only.');
  const found = await ctx.sf.query(`SELECT Id FROM ${object} WHERE Id = ${quote(recordId)}`);
  if (found.records.length === 0) throw withMessage('This record does not exist or you cannot see it.');
  return { object };
}

export async function requireRead(ctx: ApexContext, recordId: unknown): Promise<void> {
  const { object } = await load(ctx, recordId);
  if (!ctx.persona.access.objects.get(object)?.read) {
    throw withMessage('You cannot see this record, so its Teams conversation is hidden too.');
  }
}

export async function requireEdit(ctx: ApexContext, recordId: unknown): Promise<void> {
  const { object } = await load(ctx, recordId);
  if (!ctx.persona.access.objects.get(object)?.edit) {
    throw withMessage('Only people who can edit this record can link or unlink its Teams channel.');
  }
}
