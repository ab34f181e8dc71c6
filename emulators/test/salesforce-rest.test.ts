import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Connection } from 'jsforce';
import { startSalesforceEmulator } from '../src/salesforce/index.ts';
import type { SalesforceEmulator } from '../src/salesforce/index.ts';
import { FIXTURE_PROJECT, jwtConnection } from './fixtures/salesforce/connect.ts';
import type { JsforceError } from './fixtures/salesforce/connect.ts';

type SaveResult = {
  id?: string | null;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
  created?: boolean;
};
type ErrorData = { errorCode: string; message: string; fields?: string[] };

/** Awaits a jsforce call that must fail, and returns the Salesforce error it carried. */
async function refused(call: PromiseLike<unknown>, errorCode: string): Promise<ErrorData> {
  try {
    await call;
  } catch (err) {
    const e = err as JsforceError;
    assert.equal(e.errorCode, errorCode, `${e.errorCode}: ${e.message}`);
    return e.data as ErrorData;
  }
  assert.fail(`expected ${errorCode}`);
}

describe('Salesforce stand-in: REST API through jsforce', () => {
  let sf: SalesforceEmulator;
  let conn: Connection;
  let ids: {
    alex: string;
    former: string;
    account: string;
    opportunity: string;
    contact: string;
    lead: string;
  };

  before(async () => {
    sf = await startSalesforceEmulator({ port: 0, projectDir: FIXTURE_PROJECT, dailyApiRequests: 5000 });
  });
  after(() => sf.close());
  beforeEach(async () => {
    sf.control.reset();
    conn = await jwtConnection(sf);
    const one = (soql: string) => String(sf.control.query(soql).records[0]!.Id);
    ids = {
      alex: one("SELECT Id FROM User WHERE Username = 'alex@contoso.example'"),
      former: one('SELECT Id FROM User WHERE IsActive = false'),
      account: one("SELECT Id FROM Account WHERE Name = 'Contoso Ltd'"),
      opportunity: one('SELECT Id FROM Opportunity'),
      contact: one('SELECT Id FROM Contact'),
      lead: one('SELECT Id FROM Lead'),
    };
  });

  test('create, retrieve, update and delete a record', async () => {
    const created = (await conn
      .sobject('Account')
      .create({ Name: 'Fabrikam', Industry: 'Retail' })) as SaveResult;
    assert.equal(created.success, true);
    assert.match(created.id!, /^001[a-zA-Z0-9]{15}$/);
    const record = await conn.sobject('Account').retrieve(created.id!);
    assert.equal(record.Name, 'Fabrikam');
    assert.equal(
      record.OwnerId,
      sf.control.query(`SELECT Id FROM User WHERE Username = '${sf.username}'`).records[0]!.Id,
      'owner defaults to the caller',
    );
    assert.match(String(record.CreatedDate), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    await conn
      .sobject('Account')
      .update({ Id: created.id!.slice(0, 15), Website: 'https://fabrikam.example' });
    assert.equal(
      (await conn.sobject('Account').retrieve(created.id!)).Website,
      'https://fabrikam.example',
      '15-character ids are accepted',
    );
    await conn.sobject('Account').destroy(created.id!);
    await refused(conn.sobject('Account').retrieve(created.id!), 'NOT_FOUND');
  });

  test('a converted Lead cannot be updated (CANNOT_UPDATE_CONVERTED_LEAD); an open Lead can', async () => {
    const [converted] = sf.control.seed('Lead', {
      LastName: 'Fry',
      Company: 'Fry and Sons',
      Status: 'Closed - Converted',
      IsConverted: true,
      ConvertedOpportunityId: ids.opportunity,
    });
    const refusedUpdate = await refused(
      conn.sobject('Lead').update({ Id: converted!, Title: 'CTO' }),
      'CANNOT_UPDATE_CONVERTED_LEAD',
    );
    assert.equal(refusedUpdate.message, 'cannot reference converted lead');
    assert.equal(sf.control.record(converted!)!.Title ?? null, null, 'nothing was written');
    const open = (await conn.sobject('Lead').update({ Id: ids.lead, Title: 'CTO' })) as SaveResult;
    assert.equal(open.success, true);
  });

  test('refusals: unknown field, wrong type, read-only field, Id on insert, unknown object', async () => {
    const unknown = await refused(conn.sobject('Account').create({ Name: 'X', Nope__c: 1 }), 'INVALID_FIELD');
    assert.equal(unknown.message, "No such column 'Nope__c' on sobject of type Account");
    const wrongType = await refused(
      conn
        .sobject('Opportunity')
        .create({ Name: 'X', StageName: 'Prospecting', CloseDate: '2030-01-01', Amount: 'lots' }),
      'JSON_PARSER_ERROR',
    );
    assert.match(wrongType.message, /Cannot deserialize instance of double from VALUE_STRING value lots/);
    await refused(
      conn.sobject('Opportunity').create({ Name: 'X', StageName: 'Prospecting', CloseDate: '31/01/2030' }),
      'JSON_PARSER_ERROR',
    );
    await refused(
      conn.sobject('Task').create({ Subject: 'x', IsClosed: true }),
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    );
    const withId = await refused(
      conn.request({
        method: 'POST',
        url: '/sobjects/Account',
        body: JSON.stringify({ Id: ids.account, Name: 'X' }),
        headers: { 'content-type': 'application/json' },
      }),
      'INVALID_FIELD',
    );
    assert.equal(withId.message, 'cannot specify Id in an insert call');
    await refused(conn.sobject('Nope__c').create({ Name: 'x' }), 'NOT_FOUND');
  });

  test('refusals: required fields, string length, restricted picklists, email, number range', async () => {
    const missing = await refused(
      conn.sobject('Teams_Channel_Link__c').create({ Name: 'General' }),
      'REQUIRED_FIELD_MISSING',
    );
    assert.equal(missing.message, 'Required fields are missing: [Channel_Id__c, Team_Id__c]');
    assert.deepEqual(missing.fields, ['Channel_Id__c', 'Team_Id__c']);
    const tooLong = await refused(
      conn.sobject('Teams_User_Mapping__c').create({ Name: 'A', Entra_Object_Id__c: 'x'.repeat(37) }),
      'STRING_TOO_LONG',
    );
    assert.match(tooLong.message, /^Entra Object Id: data value too large: x+ \(max length=36\)$/);
    const restricted = await refused(
      conn
        .sobject('Teams_Channel_Link__c')
        .create({ Name: 'G', Team_Id__c: 't', Channel_Id__c: 'c', Status__c: 'Archived' }),
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    );
    assert.equal(restricted.message, 'Status: bad value for restricted picklist field: Archived');
    // An unrestricted picklist accepts a value outside its list, as the real org does.
    const loose = (await conn
      .sobject('Teams_User_Mapping__c')
      .create({ Name: 'A', Entra_Object_Id__c: 'e1', Status__c: 'Imported' })) as SaveResult;
    assert.equal(loose.success, true);
    await refused(
      conn.sobject('Contact').create({ LastName: 'X', Email: 'not-an-email' }),
      'INVALID_EMAIL_ADDRESS',
    );
    await refused(
      conn
        .sobject('Teams_User_Mapping__c')
        .create({ Name: 'A', Entra_Object_Id__c: 'e2', Message_Count__c: 1_000_000 }),
      'NUMBER_OUTSIDE_VALID_RANGE',
    );
    // Clearing a required field on update is refused too.
    await refused(conn.sobject('Account').update({ Id: ids.account, Name: null }), 'REQUIRED_FIELD_MISSING');
  });

  test('refusals: duplicate unique and external-id values (case-insensitive unless caseSensitive)', async () => {
    const first = (await conn
      .sobject('Teams_Channel_Link__c')
      .create({ Name: 'G', Team_Id__c: 't', Channel_Id__c: '19:abc@thread.tacv2' })) as SaveResult;
    const dup = await refused(
      conn
        .sobject('Teams_Channel_Link__c')
        .create({ Name: 'G2', Team_Id__c: 't', Channel_Id__c: '19:ABC@thread.tacv2' }),
      'DUPLICATE_VALUE',
    );
    assert.equal(
      dup.message,
      `duplicate value found: Channel_Id__c duplicates value on record with id: ${first.id}`,
    );
  });

  test('refusals: malformed ids, ids of the wrong object, missing records, inactive owners', async () => {
    const malformed = await refused(
      conn.sobject('Task').create({ Subject: 'x', WhatId: '006abc' }),
      'MALFORMED_ID',
    );
    assert.equal(malformed.message, 'Related To ID: id value of incorrect type: 006abc');
    assert.deepEqual(malformed.fields, ['WhatId']);
    await refused(
      conn.sobject('Task').create({ Subject: 'x', WhoId: ids.account }),
      'FIELD_INTEGRITY_EXCEPTION',
    );
    await refused(
      conn.sobject('Task').create({ Subject: 'x', OwnerId: ids.account }),
      'FIELD_INTEGRITY_EXCEPTION',
    );
    const gone = ids.opportunity.slice(0, 9) + 'zzzzzz';
    await refused(conn.sobject('Task').create({ Subject: 'x', WhatId: gone }), 'INVALID_CROSS_REFERENCE_KEY');
    const inactive = await refused(
      conn.sobject('Task').create({ Subject: 'x', OwnerId: ids.former }),
      'INACTIVE_OWNER_OR_USER',
    );
    assert.match(inactive.message, /inactive user/);
    await refused(conn.sobject('Account').update({ Id: 'garbage', Name: 'x' }), 'MALFORMED_ID');
    await refused(conn.sobject('Account').update({ Id: ids.opportunity, Name: 'x' }), 'MALFORMED_ID');
    const notFound = await refused(conn.sobject('Account').retrieve('garbage'), 'NOT_FOUND');
    assert.equal(notFound.message, 'Provided external ID field does not exist or is not accessible: garbage');
  });

  test('Task WhatId and WhoId are polymorphic', async () => {
    const link = (await conn.sobject('Teams_Channel_Link__c').create({
      Name: 'Deal room',
      Team_Id__c: 't',
      Channel_Id__c: 'c1',
      Opportunity__c: ids.opportunity,
    })) as SaveResult;
    const tasks = [
      { Subject: 'On the deal', WhatId: ids.opportunity, WhoId: ids.contact },
      { Subject: 'On the account', WhatId: ids.account, WhoId: ids.lead.slice(0, 15) },
      { Subject: 'On the channel link', WhatId: link.id },
    ];
    for (const t of tasks)
      assert.equal(((await conn.sobject('Task').create(t)) as SaveResult).success, true, t.Subject);
    const rows = await conn.query<{
      Subject: string;
      What: { Name: string; Type: string } | null;
      Who: { Name: string } | null;
    }>('SELECT Subject, What.Name, What.Type, Who.Name FROM Task ORDER BY Subject');
    assert.deepEqual(
      rows.records.map((r) => [r.Subject, r.What?.Name, r.What?.Type, r.Who?.Name ?? null]),
      [
        ['On the account', 'Contoso Ltd', 'Account', 'Sam Prospect'],
        ['On the channel link', 'Deal room', 'Teams_Channel_Link__c', null],
        ['On the deal', 'Contoso — Enterprise renewal', 'Opportunity', 'Pat Buyer'],
      ],
    );
    // User mappings do not allow activities, so a Task cannot relate to one.
    const mapping = (await conn
      .sobject('Teams_User_Mapping__c')
      .create({ Name: 'A', Entra_Object_Id__c: 'e9' })) as SaveResult;
    await refused(
      conn.sobject('Task').create({ Subject: 'x', WhatId: mapping.id }),
      'FIELD_INTEGRITY_EXCEPTION',
    );
  });

  test('upsert by external id: 201 created, 200 updated, 300 for several matches, 404 for a non-external-id field', async () => {
    const call = (value: string, body: object, field = 'Channel_Id__c') =>
      fetch(
        `${sf.instanceUrl}/services/data/v62.0/sobjects/Teams_Channel_Link__c/${field}/${encodeURIComponent(value)}`,
        {
          method: 'PATCH',
          headers: { Authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
      );
    const created = await call('19:one@thread.tacv2', { Name: 'One', Team_Id__c: 't' });
    assert.equal(created.status, 201);
    const createdBody = (await created.json()) as SaveResult;
    assert.equal(createdBody.created, true);
    const updated = await call('19:one@thread.tacv2', { Name: 'One renamed' });
    assert.equal(updated.status, 200);
    assert.deepEqual(await updated.json(), { id: createdBody.id, success: true, errors: [], created: false });
    assert.equal(sf.control.record(createdBody.id!)!.Name, 'One renamed');
    assert.equal((await call('x', { Name: 'n' }, 'Name')).status, 404);

    // Activity external ids are not unique: two Tasks may share one. Upserting on a non-unique External ID
    // needs View All Data, which the integration user (exactly its permission set) does not have.
    sf.control.seed('Task', [
      { Subject: 'a', Teams_Message_Id__c: 'dup' },
      { Subject: 'b', Teams_Message_Id__c: 'dup' },
    ]);
    const taskUpsert = () =>
      fetch(`${sf.instanceUrl}/services/data/v62.0/sobjects/Task/Teams_Message_Id__c/dup`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Subject: 'c' }),
      });
    const refusedUpsert = await taskUpsert();
    assert.equal(refusedUpsert.status, 400);
    assert.deepEqual(await refusedUpsert.json(), [
      {
        errorCode: 'INSUFFICIENT_ACCESS',
        message:
          'Upsert requires view all data on a non-unique custom index (Task.Teams_Message_Id__c is an External ID without Unique)',
      },
    ]);
    sf.control.setUserPermissions(sf.username, ['ApiEnabled', 'EditTask', 'ViewAllData']);
    const multiple = await taskUpsert();
    assert.equal(multiple.status, 300, 'with View All Data the upsert runs, and finds two');
    assert.equal(((await multiple.json()) as string[]).length, 2);
  });

  test('conn.sobject("Task").create([...]) goes through composite/sobjects and returns per-record errors', async () => {
    sf.control.clearRequests();
    const results = (await conn.sobject('Task').create([
      { Subject: 'Follow up on pricing', WhatId: ids.opportunity, OwnerId: ids.alex, Priority: 'High' },
      { Subject: 'Bad priority', WhatId: ids.opportunity, Priority: 'Urgent' },
      { Subject: 'Unknown field', Nope__c: 'x' },
      { Subject: 'Inactive owner', OwnerId: ids.former },
    ])) as SaveResult[];
    assert.deepEqual(
      sf.control.requests().map((r) => `${r.method} ${r.path}`),
      ['POST /services/data/v62.0/composite/sobjects'],
    );
    assert.equal(results[0]!.success, true);
    assert.match(results[0]!.id!, /^00T/);
    assert.deepEqual(results[1], {
      success: false,
      errors: [
        {
          statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          message: 'Priority: bad value for restricted picklist field: Urgent',
          fields: ['Priority'],
        },
      ],
    });
    assert.equal(results[2]!.errors[0]!.statusCode, 'INVALID_FIELD');
    assert.equal(results[3]!.errors[0]!.statusCode, 'INACTIVE_OWNER_OR_USER');
    assert.equal(sf.control.records('Task').length, 1, 'only the valid record was saved');
  });

  test('allOrNone rolls every record back; more than 200 records are refused', async () => {
    const results = (await conn
      .sobject('Task')
      .create([{ Subject: 'ok' }, { Subject: 'bad', Status: 'Nope' }], { allOrNone: true })) as SaveResult[];
    assert.equal(results[0]!.success, false);
    assert.equal(results[0]!.errors[0]!.statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
    assert.equal(results[1]!.errors[0]!.statusCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    assert.equal(sf.control.records('Task').length, 0);

    // A value of the wrong JSON type fails the whole call before any record is saved.
    await refused(
      conn.sobject('Task').create([{ Subject: 'fine' }, { Subject: 'bad date', ActivityDate: 'tomorrow' }]),
      'JSON_PARSER_ERROR',
    );
    assert.equal(sf.control.records('Task').length, 0);
    const unknownType = (await conn.requestPost('/composite/sobjects', {
      allOrNone: false,
      records: [{ attributes: { type: 'Widget__c' }, Name: 'w' }],
    })) as SaveResult[];
    assert.equal(unknownType[0]!.errors[0]!.statusCode, 'INVALID_TYPE');

    const tooMany = Array.from({ length: 201 }, (_, i) => ({ Subject: `t${i}` }));
    const data = await refused(conn.sobject('Task').create(tooMany), 'EXCEEDED_ID_LIMIT');
    assert.equal(data.message, 'record limit reached. cannot submit more than 200 records into this call');
    assert.equal(sf.control.records('Task').length, 0);
  });

  test('the integration user has exactly the integration permission set: no View All Data', () => {
    assert.deepEqual(sf.control.userPermissions(sf.username), ['ApiEnabled', 'EditTask']);
    assert.ok(sf.control.userPermissions(sf.adminUser.username).includes('ViewAllData'), 'the admin has it');
  });

  test('upsert through collections on Teams_Message_Id__c: refused without View All Data, idempotent with it', async () => {
    await refused(
      conn.sobject('Task').upsert([{ Teams_Message_Id__c: 'k0', Subject: 'a' }], 'Teams_Message_Id__c'),
      'INSUFFICIENT_ACCESS',
    );
    assert.equal(sf.control.records('Task').length, 0, 'nothing written');
    sf.control.setUserPermissions(sf.username, ['ApiEnabled', 'EditTask', 'ViewAllData']);
    const batch = (subject: string) =>
      Array.from({ length: 3 }, (_, i) => ({
        Teams_Message_Id__c: `team:chan:msg${i}:Deal_Desk_Keywords`,
        Subject: `${subject} ${i}`,
        WhatId: ids.opportunity,
      }));
    sf.control.clearRequests();
    const first = (await conn.sobject('Task').upsert(batch('First'), 'Teams_Message_Id__c')) as SaveResult[];
    assert.deepEqual(
      sf.control.requests().map((r) => `${r.method} ${r.path}`),
      ['PATCH /services/data/v62.0/composite/sobjects/Task/Teams_Message_Id__c'],
    );
    assert.deepEqual(
      first.map((r) => [r.success, r.created]),
      [
        [true, true],
        [true, true],
        [true, true],
      ],
    );
    const second = (await conn
      .sobject('Task')
      .upsert(batch('Second'), 'Teams_Message_Id__c')) as SaveResult[];
    assert.deepEqual(
      second.map((r) => [r.success, r.created]),
      [
        [true, false],
        [true, false],
        [true, false],
      ],
    );
    assert.deepEqual(
      second.map((r) => r.id),
      first.map((r) => r.id),
    );
    const tasks = sf.control.records('Task');
    assert.equal(tasks.length, 3);
    assert.ok(tasks.every((t) => String(t.Subject).startsWith('Second')));

    const dupes = (await conn.sobject('Task').upsert(
      [
        { Teams_Message_Id__c: 'k1', Subject: 'a' },
        { Teams_Message_Id__c: 'K1', Subject: 'b' },
      ],
      'Teams_Message_Id__c',
    )) as SaveResult[];
    assert.deepEqual(
      dupes.map((r) => r.errors[0]?.statusCode),
      ['DUPLICATE_EXTERNAL_ID', 'DUPLICATE_EXTERNAL_ID'],
    );
    await refused(
      conn.sobject('Task').upsert([{ Subject: 'x', Description: 'y' }], 'Description'),
      'INVALID_FIELD',
    );
  });

  test('composite: subrequests referring to earlier results; allOrNone rollback', async () => {
    const body = (closeDate: string) => ({
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'newAccount',
          body: { Name: 'Northwind' },
        },
        {
          method: 'GET',
          url: '/services/data/v62.0/sobjects/Account/@{newAccount.id}',
          referenceId: 'readBack',
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Opportunity',
          referenceId: 'newDeal',
          body: {
            Name: 'Northwind deal',
            StageName: 'Prospecting',
            CloseDate: closeDate,
            AccountId: '@{newAccount.id}',
          },
        },
      ],
    });
    type Composite = { compositeResponse: { httpStatusCode: number; referenceId: string; body: unknown }[] };
    const ok = await conn.requestPost<Composite>('/composite', body('2030-06-30'));
    assert.deepEqual(
      ok.compositeResponse.map((r) => r.httpStatusCode),
      [201, 200, 201],
    );
    assert.equal((ok.compositeResponse[1]!.body as { Name: string }).Name, 'Northwind');
    const deal = sf.control.query("SELECT Account.Name FROM Opportunity WHERE Name = 'Northwind deal'")
      .records[0] as { Account: { Name: string } };
    assert.equal(deal.Account.Name, 'Northwind');

    const failed = await conn.requestPost<Composite>('/composite', body('not-a-date'));
    assert.deepEqual(
      failed.compositeResponse.map((r) => r.httpStatusCode),
      [400, 400, 400],
    );
    assert.equal((failed.compositeResponse[0]!.body as ErrorData[])[0]!.errorCode, 'PROCESSING_HALTED');
    assert.equal((failed.compositeResponse[2]!.body as ErrorData[])[0]!.errorCode, 'JSON_PARSER_ERROR');
    assert.equal(
      sf.control.query("SELECT COUNT() FROM Account WHERE Name = 'Northwind'").totalSize,
      1,
      'the second Northwind was rolled back',
    );
  });

  test('describe: global, per object, and GET /sobjects', async () => {
    const global = await conn.describeGlobal();
    const names = global.sobjects.map((s) => s.name);
    for (const n of ['Account', 'Task', 'Teams_Channel_Link__c', 'Teams_Rule__mdt', 'Teams_Outbound__e'])
      assert.ok(names.includes(n), n);
    const link = await conn.sobject('Teams_Channel_Link__c').describe();
    const channelId = link.fields.find((f) => f.name === 'Channel_Id__c')!;
    assert.deepEqual(
      [channelId.type, channelId.length, channelId.externalId, channelId.unique, channelId.nillable],
      ['string', 255, true, true, false],
    );
    const status = link.fields.find((f) => f.name === 'Status__c')!;
    assert.equal(status.restrictedPicklist, true);
    assert.deepEqual(
      status.picklistValues!.map((p) => p.value),
      ['Active', 'Paused', 'Unlinked'],
    );
    const task = await conn.sobject('Task').describe();
    const what = task.fields.find((f) => f.name === 'WhatId')!;
    assert.equal((what as { polymorphicForeignKey?: boolean }).polymorphicForeignKey, true);
    assert.ok(what.referenceTo!.includes('Opportunity'));
    assert.ok(task.fields.some((f) => f.name === 'Teams_Message_Id__c' && f.externalId));
    const basic = await conn.request<{ objectDescribe: { keyPrefix: string } }>('/sobjects/Opportunity');
    assert.equal(basic.objectDescribe.keyPrefix, '006');
  });

  test('API versions: /services/data lists them; older supported versions work; unknown ones are 404', async () => {
    const versions = (await (await fetch(`${sf.instanceUrl}/services/data`)).json()) as {
      version: string;
      label: string;
    }[];
    assert.deepEqual(versions.at(-1), { label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    const headers = { Authorization: `Bearer ${conn.accessToken}` };
    assert.equal(
      (await fetch(`${sf.instanceUrl}/services/data/v50.0/sobjects/Account/${ids.account}`, { headers }))
        .status,
      200,
    );
    assert.equal(
      (await fetch(`${sf.instanceUrl}/services/data/v99.0/sobjects/Account/${ids.account}`, { headers }))
        .status,
      404,
    );
    assert.equal(
      (await fetch(`${sf.instanceUrl}/services/data/v20.0/sobjects/Account/${ids.account}`, { headers }))
        .status,
      404,
    );
  });

  test('Sforce-Limit-Info on every response, conn.limitInfo, /limits, and REQUEST_LIMIT_EXCEEDED', async () => {
    await conn.query('SELECT Id FROM Account');
    const used = sf.control.setLimits({}).used;
    assert.deepEqual(conn.limitInfo.apiUsage, { used, limit: 5000 });
    const limits = await conn.request<{ DailyApiRequests: { Max: number; Remaining: number } }>('/limits');
    assert.deepEqual(limits.DailyApiRequests, { Max: 5000, Remaining: 5000 - used - 1 });

    sf.control.setLimits({ dailyApiRequests: 10, used: 9 });
    await conn.query('SELECT Id FROM Account');
    assert.deepEqual(conn.limitInfo.apiUsage, { used: 10, limit: 10 });
    const exceeded = await refused(conn.query('SELECT Id FROM Account'), 'REQUEST_LIMIT_EXCEEDED');
    assert.equal(exceeded.message, 'TotalRequests Limit exceeded.');
    const raw = await fetch(`${sf.instanceUrl}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    assert.equal(raw.status, 403);
    assert.equal(raw.headers.get('sforce-limit-info'), 'api-usage=10/10');

    sf.control.setLimits({ dailyApiRequests: 100, used: 0 });
    sf.control.exhaustApiLimit();
    await refused(conn.query('SELECT Id FROM Account'), 'REQUEST_LIMIT_EXCEEDED');
  });

  test('fault injection: latency, error rate with Retry-After, fail-next', async () => {
    sf.control.setFaults({ latencyMs: 150 });
    const started = Date.now();
    await conn.query('SELECT Id FROM Account');
    assert.ok(Date.now() - started >= 150);
    sf.control.setFaults({ latencyMs: 0, errorRate: 1, errorStatus: 503, retryAfterSeconds: 7 });
    const res = await fetch(`${sf.instanceUrl}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(((await res.json()) as ErrorData[])[0]!.errorCode, 'SERVER_UNAVAILABLE');
    sf.control.clearFaults();
    // jsforce retries a GET answered 500 (after 500 ms): the injected failure shows in the request log.
    sf.control.setFaults({ failNext: 1, errorStatus: 500 });
    sf.control.clearRequests();
    await conn.query('SELECT Id FROM Account');
    assert.deepEqual(
      sf.control.requests().map((r) => r.status),
      [500, 200],
    );
    sf.control.setFaults({ failNext: 1, errorStatus: 500 });
    await refused(conn.sobject('Account').create({ Name: 'not retried: POST' }), 'UNKNOWN_EXCEPTION');
    assert.throws(() => sf.control.setFaults({ errorRate: 2 }), /between 0 and 1/);
  });

  test('platform events are published over REST and observable through control', async () => {
    const published = (await conn.sobject('Teams_Outbound__e').create({
      Record_Id__c: ids.opportunity,
      Kind__c: 'OpportunityHandoff',
      Payload__c: '{"name":"x"}',
    })) as SaveResult;
    assert.equal(published.success, true);
    assert.match(published.id!, /^e0/);
    const events = sf.control.platformEvents('Teams_Outbound__e');
    assert.equal(events.length, 1);
    assert.deepEqual(published.errors, [
      { statusCode: 'OPERATION_ENQUEUED', message: events[0]!.fields.EventUuid, fields: [] },
    ]);
    assert.equal(events[0]!.fields.Kind__c, 'OpportunityHandoff');
    await refused(
      conn.sobject('Teams_Outbound__e').create({ Record_Id__c: ids.opportunity }),
      'REQUIRED_FIELD_MISSING',
    );
    await refused(conn.query('SELECT Id FROM Teams_Outbound__e'), 'INVALID_TYPE');
    const http = (await (await fetch(`${sf.controlUrl}/events?sobject=Teams_Outbound__e`)).json()) as {
      events: unknown[];
    };
    assert.equal(http.events.length, 1);
  });

  test('custom metadata is queryable but not writable', async () => {
    const rules = await conn.query<{ DeveloperName: string; MasterLabel: string; Critical__c: boolean }>(
      'SELECT DeveloperName, MasterLabel, Label, QualifiedApiName, Critical__c FROM Teams_Rule__mdt WHERE Critical__c = true',
    );
    assert.deepEqual(
      rules.records.map((r) => [r.DeveloperName, r.MasterLabel, r.Critical__c]),
      [['Deal_Desk_Keywords', 'Deal Desk Keywords', true]],
    );
    await refused(
      conn.sobject('Teams_Rule__mdt').create({ DeveloperName: 'X' }),
      'INVALID_TYPE_FOR_OPERATION',
    );
  });

  test('the HTTP control API seeds and reads records, and refuses bad seeds clearly', async () => {
    const res = await fetch(`${sf.controlUrl}/records/Account`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ Name: 'Tailspin' }]),
    });
    assert.equal(res.status, 201);
    const { ids: seeded } = (await res.json()) as { ids: string[] };
    const read = (await (await fetch(`${sf.controlUrl}/records/Account`)).json()) as {
      records: { Id: string }[];
    };
    assert.ok(read.records.some((r) => r.Id === seeded[0]));
    const bad = await fetch(`${sf.controlUrl}/records/Account`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ Nope: 1 }]),
    });
    assert.equal(bad.status, 400);
    assert.match(
      ((await bad.json()) as { error: { message: string } }).error.message,
      /No such column 'Nope'/,
    );
  });
  test('the control API updates a record as a UI save would: no API call counted, field checks kept', async () => {
    const before = sf.control.record(ids.opportunity)!;
    const used = sf.control.setLimits({}).used;
    await new Promise((r) => setTimeout(r, 5));
    sf.control.update('Opportunity', ids.opportunity, { StageName: 'Qualification' });
    const after = sf.control.record(ids.opportunity)!;
    assert.equal(after.StageName, 'Qualification');
    assert.ok(String(after.LastModifiedDate) > String(before.LastModifiedDate), 'LastModifiedDate moves');
    assert.equal(sf.control.setLimits({}).used, used, 'no API request counted');
    assert.throws(
      () => sf.control.update('Opportunity', ids.opportunity, { Nope: 1 }),
      /No such column 'Nope'/,
    );
  });
});
