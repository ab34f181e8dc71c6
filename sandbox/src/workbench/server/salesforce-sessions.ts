import { randomBytes } from 'node:crypto';
import jsforce, { type Connection } from 'jsforce';
import type { SalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';
import type { PersonaKey, Persona } from './personas.ts';

/**
 * One REST session per persona against the Salesforce stand-in, logged in as that user with the
 * username-password flow (the workbench gives each persona user a password of its own at start).
 */
export function salesforceSessions(sf: SalesforceEmulator, apiVersion: string) {
  const passwords = new Map<string, string>();
  const sessions = new Map<PersonaKey, Promise<Connection>>();
  return {
    prepare(personas: Record<PersonaKey, Persona>) {
      for (const persona of Object.values(personas)) {
        const password = `Wb-${randomBytes(12).toString('base64url')}`;
        sf.control.setPassword(persona.username, password);
        passwords.set(persona.username, password);
      }
    },
    connection(persona: Persona): Promise<Connection> {
      let session = sessions.get(persona.key);
      if (!session) {
        const conn = new jsforce.Connection({
          oauth2: { loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret },
          version: apiVersion,
        });
        session = conn.login(persona.username, passwords.get(persona.username) ?? '').then(() => conn);
        session.catch(() => sessions.delete(persona.key));
        sessions.set(persona.key, session);
      }
      return session;
    },
  };
}

export type SalesforceSessions = ReturnType<typeof salesforceSessions>;
