import type { Connection } from 'jsforce';
import type { Persona } from '../personas.ts';
import { CalloutError, ServiceError, type ServiceClient } from '../service-client.ts';

/** An `AuraHandledException`: its message reaches the component as `error.body.message`. */
export class AuraHandledError extends Error {}

export interface ApexContext {
  persona: Persona;
  /** The Salesforce stand-in's REST API, logged in as the persona. */
  sf: Connection;
  service: ServiceClient;
}

export type ApexMethod = (params: Record<string, unknown>, ctx: ApexContext) => Promise<unknown>;

/** One Apex class: its `@AuraEnabled` methods as the components call them. */
export interface ApexClass {
  name: string;
  methods: Record<string, ApexMethod>;
}

// TeamsAuraErrors
export const withMessage = (message: string) => new AuraHandledError(message);
export const noAccess = (what: string) =>
  withMessage(
    `You do not have access to ${what}. Ask your Salesforce admin for the Teams Bridge permission set you need.`,
  );
export function fromService(failure: unknown): AuraHandledError {
  if (failure instanceof ServiceError) {
    if (failure.statusCode === 401) {
      return withMessage(
        `The Teams Bridge service rejected the request signature: the signing secret in Salesforce and in the service differ. ${failure.message}`,
      );
    }
    return withMessage(failure.message);
  }
  if (failure instanceof CalloutError) {
    return withMessage(
      `Salesforce could not reach the Teams Bridge service (${failure.message}). Check the Teams_Bridge_Service Named Credential URL and that the service is running.`,
    );
  }
  return withMessage((failure as Error).message);
}

/** `Schema.SObjectType.X.isAccessible()/isUpdateable()/isCreateable()` for the persona. */
export function can(ctx: ApexContext, object: string, what: 'read' | 'edit' | 'create'): boolean {
  return ctx.persona.access.objects.get(object)?.[what] ?? false;
}

/** A `WITH USER_MODE` query: an object the persona cannot read throws, as a QueryException would. */
export async function userModeQuery<T>(
  ctx: ApexContext,
  objects: string[],
  soql: string,
  onNoAccess: () => Error,
): Promise<T[]> {
  if (objects.some((object) => !can(ctx, object, 'read'))) throw onNoAccess();
  return (await ctx.sf.query<Record<string, unknown>>(soql)).records as unknown as T[];
}

/** A SOQL string literal (Apex binds are escaped the same way). */
export function quote(value: unknown): string {
  return `'${String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")}'`;
}

export const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === '';
