import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startSalesforceEmulator } from '../src/salesforce/index.ts';
import { buildSchema } from '../src/salesforce/schema/build-schema.ts';
import { SchemaLoadError } from '../src/salesforce/schema/project-metadata.ts';
import { findField, findObject } from '../src/salesforce/schema/types.ts';
import { FIXTURE_PROJECT, jwtConnection } from './fixtures/salesforce/connect.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-schema-'));
  writeFileSync(
    path.join(dir, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }),
  );
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(dir, 'force-app/main/default', rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

const textField = (name: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>${name}</fullName><label>X</label><type>Text</type><length>20</length></CustomField>`;

test('the fixture project: custom objects, fields, key prefixes and the standard objects', () => {
  const schema = buildSchema(FIXTURE_PROJECT);
  const link = findObject(schema, 'teams_channel_link__c')!;
  assert.equal(link.name, 'Teams_Channel_Link__c');
  assert.match(link.keyPrefix, /^a0[0-9A-Za-z]$/);
  const channelId = findField(link, 'Channel_Id__c')!;
  assert.deepEqual(
    [channelId.externalId, channelId.unique, channelId.nillable, channelId.length],
    [true, true, false, 255],
  );
  const status = findField(link, 'Status__c')!;
  assert.deepEqual(
    [status.restrictedPicklist, status.defaultValue, status.picklistValues],
    [true, 'Active', ['Active', 'Paused', 'Unlinked']],
  );
  assert.equal(findField(link, 'Opportunity__c')!.relationshipName, 'Opportunity__r');
  assert.deepEqual(findField(link, 'OwnerId')!.referenceTo, ['User']);
  for (const [name, prefix] of [
    ['Account', '001'],
    ['Contact', '003'],
    ['Opportunity', '006'],
    ['Lead', '00Q'],
    ['User', '005'],
    ['Task', '00T'],
    ['Event', '00U'],
  ]) {
    assert.equal(findObject(schema, name!)!.keyPrefix, prefix);
  }
  assert.ok(findObject(schema, 'Teams_Outbound__e')!.keyPrefix.startsWith('e0'));
  assert.ok(findObject(schema, 'Teams_Rule__mdt')!.keyPrefix.startsWith('m0'));
});

test('Activity custom fields apply to both Task and Event', () => {
  const schema = buildSchema(FIXTURE_PROJECT);
  for (const name of ['Task', 'Event']) {
    const field = findField(findObject(schema, name)!, 'Teams_Message_Id__c');
    assert.ok(field?.externalId, `${name}.Teams_Message_Id__c`);
    assert.ok(!field.unique, 'activity external ids are not unique');
  }
  assert.equal(findObject(schema, 'Activity'), undefined);
  // Task.WhatId accepts activity-enabled custom objects (Teams_Channel_Link__c enables activities).
  assert.ok(findField(findObject(schema, 'Task')!, 'WhatId')!.referenceTo!.includes('Teams_Channel_Link__c'));
  assert.ok(
    !findField(findObject(schema, 'Task')!, 'WhatId')!.referenceTo!.includes('Teams_User_Mapping__c'),
  );
});

test('custom metadata records are read with typed values', () => {
  const schema = buildSchema(FIXTURE_PROJECT);
  const rules = schema.customMetadataRecords.get('Teams_Rule__mdt')!;
  const deal = rules.find((r) => r.DeveloperName === 'Deal_Desk_Keywords')!;
  assert.equal(deal.MasterLabel, 'Deal Desk Keywords');
  assert.equal(deal.QualifiedApiName, 'Deal_Desk_Keywords');
  assert.equal(deal.Critical__c, true);
  assert.equal(deal.Due_In_Days__c, 2);
  const competitor = rules.find((r) => r.DeveloperName === 'Competitor_Mentions')!;
  assert.equal(competitor.Due_In_Days__c, null);
  assert.equal(competitor.Critical__c, false);
});

test('a custom field authored under objects/Task/fields is refused at load', () => {
  const dir = tempProject({ 'objects/Task/fields/Bad__c.field-meta.xml': textField('Bad__c') });
  try {
    assert.throws(
      () => buildSchema(dir),
      (err: Error) =>
        err instanceof SchemaLoadError &&
        /objects\/Activity\/fields/.test(err.message) &&
        /Bad__c/.test(err.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unsupported or inconsistent metadata is refused with the file named', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      {
        'objects/Account/fields/Geo__c.field-meta.xml': textField('Geo__c').replace(
          '<type>Text</type>',
          '<type>Location</type>',
        ),
      },
      /Geo__c.*Location is not supported/,
    ],
    [
      { 'objects/Account/fields/Other__c.field-meta.xml': textField('Mismatch__c') },
      /does not match the file name/,
    ],
    [{ 'objects/Account/fields/Broken__c.field-meta.xml': '<CustomField><fullName>Broken__c' }, /Broken__c/],
    [
      {
        'customMetadata/Missing_Type.Rec.md-meta.xml':
          '<?xml version="1.0"?><CustomMetadata><label>x</label></CustomMetadata>',
      },
      /Missing_Type__mdt is not defined/,
    ],
  ];
  for (const [files, pattern] of cases) {
    const dir = tempProject(files);
    try {
      assert.throws(() => buildSchema(dir), pattern);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test("the repository's force-app loads (when present)", (t) => {
  if (!existsSync(path.join(REPO_ROOT, 'force-app/main/default/objects'))) {
    t.skip('force-app has no objects yet');
    return;
  }
  const schema = buildSchema(REPO_ROOT);
  for (const name of [
    'Teams_Channel_Link__c',
    'Teams_User_Mapping__c',
    'Teams_Subscription__c',
    'Teams_Rule__mdt',
    'Teams_Outbound__e',
  ]) {
    assert.ok(findObject(schema, name), `${name} is defined`);
  }
  assert.ok(findField(findObject(schema, 'Task')!, 'Teams_Message_Id__c')?.externalId);
  assert.ok(
    (schema.customMetadataRecords.get('Teams_Rule__mdt') ?? []).some(
      (r) => r.DeveloperName === 'Deal_Desk_Keywords',
    ),
  );
});

test("the stand-in serves the repository's force-app: rules, Task upserts, outbound events (when present)", async (t) => {
  if (!existsSync(path.join(REPO_ROOT, 'force-app/main/default/objects'))) {
    t.skip('force-app has no objects yet');
    return;
  }
  const sf = await startSalesforceEmulator({ port: 0, projectDir: REPO_ROOT });
  try {
    const conn = await jwtConnection(sf);
    const rules = await conn.query<{ DeveloperName: string }>(
      'SELECT DeveloperName, MasterLabel FROM Teams_Rule__mdt ORDER BY DeveloperName',
    );
    assert.ok(rules.records.some((r) => r.DeveloperName === 'Deal_Desk_Keywords'));
    const opportunityId = String(sf.control.query('SELECT Id FROM Opportunity').records[0]!.Id);
    // The package's integration permission set has no View All Data, and Teams_Message_Id__c is an External
    // ID without Unique: the upsert is refused, so the service finds Tasks by key and creates or updates them.
    assert.deepEqual(sf.control.userPermissions(sf.username), ['ApiEnabled', 'EditTask']);
    await assert.rejects(
      conn
        .sobject('Task')
        .upsert(
          [{ Teams_Message_Id__c: 'k1', Subject: 'Follow up', WhatId: opportunityId }],
          'Teams_Message_Id__c',
        ),
      (err: { errorCode?: string }) => err.errorCode === 'INSUFFICIENT_ACCESS',
    );
    const created = (await conn
      .sobject('Task')
      .create([{ Teams_Message_Id__c: 'k1', Subject: 'Follow up', WhatId: opportunityId }])) as {
      success: boolean;
    }[];
    assert.deepEqual(
      created.map((r) => r.success),
      [true],
    );
    await conn
      .sobject('Teams_Outbound__e')
      .create({ Record_Id__c: opportunityId, Kind__c: 'OpportunityHandoff', Payload__c: '{}' });
    assert.equal(sf.control.platformEvents('Teams_Outbound__e').length, 1);
  } finally {
    await sf.close();
  }
});
