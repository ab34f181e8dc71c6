import { accessFor, readPermissionSets, type Access } from './permissions.ts';

/** The people the workbench can be used as: a Salesforce user of the demo org and their permission sets. */
export const PERSONA_DEFINITIONS = {
  admin: {
    label: 'Admin (Teams Bridge Admin)',
    username: 'admin@teams-bridge.example',
    permissionSets: ['Teams_Bridge_Admin'],
  },
  rep: {
    label: 'Sales rep (Teams Bridge User)',
    username: 'alex@contoso.example',
    permissionSets: ['Teams_Bridge_User'],
  },
  'no-access': {
    label: 'User without the permission set',
    username: 'megan@contoso.example',
    permissionSets: [],
  },
} as const;

export type PersonaKey = keyof typeof PERSONA_DEFINITIONS;

export interface Persona {
  key: PersonaKey;
  label: string;
  username: string;
  userId: string;
  name: string;
  email: string;
  permissionSets: readonly string[];
  access: Access;
}

export function isPersonaKey(value: unknown): value is PersonaKey {
  return typeof value === 'string' && Object.hasOwn(PERSONA_DEFINITIONS, value);
}

export function loadPersonas(
  projectDir: string,
  findUser: (username: string) => { Id: string; Name: string; Email: string },
): Record<PersonaKey, Persona> {
  const sets = readPermissionSets(projectDir);
  const personas = {} as Record<PersonaKey, Persona>;
  for (const key of Object.keys(PERSONA_DEFINITIONS) as PersonaKey[]) {
    const definition = PERSONA_DEFINITIONS[key];
    const user = findUser(definition.username);
    personas[key] = {
      key,
      label: definition.label,
      username: definition.username,
      userId: user.Id,
      name: user.Name,
      email: user.Email,
      permissionSets: definition.permissionSets,
      access: accessFor([...definition.permissionSets], sets),
    };
  }
  return personas;
}
