/** The Teams app package: manifest values, what the service relies on, icon sizes, a readable zip. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildManifest, buildPackage } from '../../../teams-app/scripts/package.ts';
import { defaultSeed } from '../../../emulators/src/graph/seed.ts';

const env = {
  TEAMS_APP_ID: 'e5d4c3b2-a190-4f8e-9d7c-6b5a4f3e2d1c',
  BOT_APP_ID: '9d3e7b1a-2c4f-4e8b-a6d5-1f0e9c8b7a61',
  PUBLIC_BASE_URL: 'https://bridge.example.com',
};

/** Entries of a stored zip, read through its central directory. */
function unzip(buffer: Buffer): Map<string, Buffer> {
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(buffer.readUInt32LE(at), 0x02014b50);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.subarray(at + 46, at + 46 + nameLength).toString();
    const localNameLength = buffer.readUInt16LE(local + 26);
    files.set(name, buffer.subarray(local + 30 + localNameLength, local + 30 + localNameLength + size));
    at += 46 + nameLength;
  }
  return files;
}

test('the manifest names the bot, webApplicationInfo, RSC permissions and the activity types the service sends', () => {
  const m = buildManifest(env) as {
    bots: { botId: string; scopes: string[] }[];
    webApplicationInfo: { id: string };
    authorization: { permissions: { resourceSpecific: { name: string; type: string }[] } };
    activities: { activityTypes: { type: string }[] };
    validDomains: string[];
  };
  assert.equal(m.bots[0]!.botId, env.BOT_APP_ID);
  assert.deepEqual(m.bots[0]!.scopes, ['team']);
  assert.equal(m.webApplicationInfo.id, env.BOT_APP_ID);
  assert.deepEqual(m.validDomains, ['bridge.example.com']);
  const rsc = m.authorization.permissions.resourceSpecific.map((p) => p.name);
  for (const name of ['ChannelMessage.Read.Group', 'ChannelMessage.Send.Group', 'TeamsActivity.Send.Group']) {
    assert.ok(rsc.includes(name), name);
  }
  const types = m.activities.activityTypes.map((a) => a.type).sort();
  const standIn = defaultSeed().apps[0]!.teamsApp!.activityTypes.slice().sort();
  assert.deepEqual(types, standIn, 'the stand-in declares the same activity types as the manifest');
  assert.ok(!JSON.stringify(m).includes('${'), 'every placeholder is filled');
});

test('the package is a zip with the manifest and icons of the sizes Teams requires', () => {
  const files = unzip(buildPackage(env));
  assert.deepEqual([...files.keys()].sort(), ['color.png', 'manifest.json', 'outline.png']);
  const size = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];
  assert.deepEqual(size(files.get('color.png')!), [192, 192]);
  assert.deepEqual(size(files.get('outline.png')!), [32, 32]);
  assert.equal(JSON.parse(files.get('manifest.json')!.toString()).id, env.TEAMS_APP_ID);
});

test('bad values are refused with what to set', () => {
  assert.throws(() => buildManifest({ ...env, PUBLIC_BASE_URL: 'http://insecure.example' }), /https address/);
  assert.throws(() => buildManifest({ ...env, BOT_APP_ID: 'bot' }), /BOT_APP_ID/);
});
