/** The RSC permissions the service consents to when installing the app equal what the manifest asks for. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MANIFEST_RSC_PERMISSIONS } from '../../src/outbound/teams-app-permissions.ts';
import { repoRoot } from '../helpers/stack.ts';
import { defaultSeed } from '../../../emulators/src/graph/seed.ts';

const manifest = JSON.parse(readFileSync(`${repoRoot}/teams-app/manifest.template.json`, 'utf8')) as {
  authorization: { permissions: { resourceSpecific: { name: string; type: string }[] } };
};
const fromManifest = manifest.authorization.permissions.resourceSpecific.map((p) => ({
  permissionValue: p.name,
  permissionType: p.type.toLowerCase(),
}));

test('consentedPermissionSet of an install through Graph = the manifest resourceSpecific list', () => {
  assert.deepEqual([...MANIFEST_RSC_PERMISSIONS], fromManifest);
});

test("the Graph stand-in's app definition requires the same RSC permissions", () => {
  assert.deepEqual(defaultSeed().apps[0]!.teamsApp!.resourceSpecificPermissions, fromManifest);
});
