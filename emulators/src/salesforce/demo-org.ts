import type { SObjectRecord } from './org-data.ts';

// The small demo org seeded by default: an admin who can log in with a password, the integration user
// the service connects as, sales reps (one matching the Teams demo user's email), an inactive user, and
// the Contoso account with an open renewal.

export interface SeedPlan {
  /** Records per sObject, in insertion order. `@ref` strings name earlier records by their `ref`. */
  records: { sobject: string; ref?: string; fields: SObjectRecord }[];
  /** Login passwords for the username-password flow. */
  passwords: Record<string, string>;
}

export const DEMO_ADMIN = { username: 'admin@teams-bridge.example', password: 'Demo-Admin-Password-1' };
export const DEMO_INTEGRATION_USERNAME = 'integration@teams-bridge.example';

const inDays = (n: number): string => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export function demoOrg(): SeedPlan {
  const user = (
    ref: string,
    first: string,
    last: string,
    email: string,
    username: string,
    active = true,
    title?: string,
  ) => ({
    sobject: 'User',
    ref,
    fields: {
      FirstName: first,
      LastName: last,
      Email: email,
      Username: username,
      Alias: `${first.charAt(0)}${last}`.slice(0, 8).toLowerCase(),
      IsActive: active,
      Title: title ?? null,
    },
  });
  return {
    passwords: { [DEMO_ADMIN.username]: DEMO_ADMIN.password },
    records: [
      user(
        'admin',
        'Ada',
        'Admin',
        'admin@teams-bridge.example',
        DEMO_ADMIN.username,
        true,
        'System Administrator',
      ),
      user(
        'integration',
        'Teams',
        'Bridge Integration',
        'integration@teams-bridge.example',
        DEMO_INTEGRATION_USERNAME,
        true,
        'Integration User',
      ),
      user(
        'alex',
        'Alex',
        'Wilber',
        'alex@contoso.example',
        'alex@contoso.example',
        true,
        'Account Executive',
      ),
      user(
        'megan',
        'Megan',
        'Bowen',
        'megan@contoso.example',
        'megan@contoso.example',
        true,
        'Sales Manager',
      ),
      user(
        'former',
        'Lee',
        'Gu',
        'lee.gu@contoso.example',
        'lee.gu@contoso.example',
        false,
        'Former Account Executive',
      ),
      {
        sobject: 'Account',
        ref: 'contoso',
        fields: {
          Name: 'Contoso Ltd',
          Industry: 'Technology',
          // The customer's own domain, apart from the demo Teams tenant's contoso.example.
          Website: 'https://www.contosoltd.example',
          OwnerId: '@alex',
        },
      },
      {
        sobject: 'Contact',
        ref: 'contact',
        fields: {
          FirstName: 'Pat',
          LastName: 'Buyer',
          Email: 'pat.buyer@contosoltd.example',
          AccountId: '@contoso',
          OwnerId: '@alex',
        },
      },
      {
        sobject: 'Opportunity',
        ref: 'renewal',
        fields: {
          Name: 'Contoso — Enterprise renewal',
          StageName: 'Prospecting',
          CloseDate: inDays(45),
          Amount: 120000,
          AccountId: '@contoso',
          OwnerId: '@alex',
          NextStep: 'Pricing review with procurement',
        },
      },
      {
        sobject: 'Lead',
        ref: 'lead',
        fields: {
          FirstName: 'Sam',
          LastName: 'Prospect',
          Company: 'Fabrikam Inc',
          Email: 'sam@fabrikam.example',
          OwnerId: '@megan',
        },
      },
    ],
  };
}
