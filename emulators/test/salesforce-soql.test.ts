import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from 'jsforce';
import { startSalesforceEmulator } from '../src/salesforce/index.ts';
import type { SalesforceEmulator } from '../src/salesforce/index.ts';
import { FIXTURE_PROJECT, jwtConnection } from './fixtures/salesforce/connect.ts';
import type { JsforceError } from './fixtures/salesforce/connect.ts';

const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();
const date = (offsetDays: number) => iso(offsetDays).slice(0, 10);

async function queryError(conn: Connection, soql: string, errorCode: string): Promise<string> {
  try {
    await conn.query(soql);
  } catch (err) {
    const e = err as JsforceError;
    assert.equal(e.errorCode, errorCode, `${soql}: ${e.errorCode} ${e.message}`);
    return e.message;
  }
  assert.fail(`expected ${errorCode} for ${soql}`);
}

describe('Salesforce stand-in: SOQL', () => {
  let sf: SalesforceEmulator;
  let conn: Connection;
  let oppId: string;

  before(async () => {
    sf = await startSalesforceEmulator({ port: 0, projectDir: FIXTURE_PROJECT });
    conn = await jwtConnection(sf);
    oppId = String(sf.control.query('SELECT Id FROM Opportunity').records[0]!.Id);
    const alex = String(
      sf.control.query("SELECT Id FROM User WHERE Username = 'alex@contoso.example'").records[0]!.Id,
    );
    const [linkId] = sf.control.seed('Teams_Channel_Link__c', {
      Name: 'Renewal room',
      Team_Id__c: 'team-1',
      Channel_Id__c: '19:renewal@thread.tacv2',
      Opportunity__c: oppId,
    });
    sf.control.seed('Task', [
      {
        Subject: 'Old call',
        CreatedDate: iso(-40),
        ActivityDate: date(-40),
        Priority: 'Low',
        WhatId: oppId,
        OwnerId: alex,
      },
      {
        Subject: 'Pricing exception',
        CreatedDate: iso(-2),
        ActivityDate: date(2),
        Priority: 'High',
        WhatId: oppId,
        OwnerId: alex,
        Teams_Message_Id__c: 'm1',
      },
      {
        Subject: 'Legal review',
        CreatedDate: iso(0),
        ActivityDate: date(0),
        Priority: 'Normal',
        WhatId: linkId,
        Teams_Message_Id__c: 'm2',
      },
      { Subject: 'No due date', CreatedDate: iso(-1), Priority: 'Normal' },
    ]);
  });
  after(() => sf.close());

  const subjects = async (soql: string) =>
    (await conn.query<{ Subject: string }>(soql)).records.map((r) => r.Subject);

  test('fields and relationship fields (Owner.Name, What.Name, Opportunity__r.Name, two levels)', async () => {
    const rows = await conn.query<Record<string, unknown>>(
      "SELECT Id, Name, Opportunity__r.Name, Opportunity__r.Account.Name, Owner.Name FROM Teams_Channel_Link__c WHERE Channel_Id__c = '19:renewal@thread.tacv2'",
    );
    const r = rows.records[0]!;
    assert.equal(r.Name, 'Renewal room');
    assert.equal((r.Opportunity__r as { Name: string }).Name, 'Contoso — Enterprise renewal');
    assert.equal(
      ((r.Opportunity__r as { Account: { Name: string } }).Account as { Name: string }).Name,
      'Contoso Ltd',
    );
    assert.deepEqual((r.Opportunity__r as { attributes: unknown }).attributes, {
      type: 'Opportunity',
      url: `/services/data/v62.0/sobjects/Opportunity/${oppId}`,
    });
    const tasks = await conn.query<{
      Subject: string;
      Owner: { Name: string };
      What: { Name: string } | null;
    }>("SELECT Subject, Owner.Name, What.Name FROM Task WHERE Subject = 'Pricing exception'");
    assert.equal(tasks.records[0]!.Owner.Name, 'Alex Wilber');
    assert.equal(tasks.records[0]!.What!.Name, 'Contoso — Enterprise renewal');
    const none = await conn.query<{ What: unknown }>(
      "SELECT What.Name FROM Task WHERE Subject = 'No due date'",
    );
    assert.equal(none.records[0]!.What, null);
  });

  test('WHERE: AND/OR/NOT, IN/NOT IN, LIKE, comparisons, null, parentheses', async () => {
    assert.deepEqual(
      await subjects("SELECT Subject FROM Task WHERE Priority = 'high' ORDER BY Subject"),
      ['Pricing exception'],
      '= is case-insensitive',
    );
    assert.deepEqual(
      await subjects("SELECT Subject FROM Task WHERE Priority IN ('High', 'Low') ORDER BY Subject"),
      ['Old call', 'Pricing exception'],
    );
    assert.deepEqual(
      await subjects("SELECT Subject FROM Task WHERE Priority NOT IN ('High', 'Low') ORDER BY Subject"),
      ['Legal review', 'No due date'],
    );
    assert.deepEqual(
      await subjects(
        "SELECT Subject FROM Task WHERE Subject LIKE '%review' OR Subject LIKE 'old%' ORDER BY Subject",
      ),
      ['Legal review', 'Old call'],
    );
    assert.deepEqual(
      await subjects("SELECT Subject FROM Task WHERE NOT Subject LIKE '%e%' ORDER BY Subject"),
      ['Old call'],
    );
    assert.deepEqual(
      await subjects('SELECT Subject FROM Task WHERE Teams_Message_Id__c != null ORDER BY Subject'),
      ['Legal review', 'Pricing exception'],
    );
    assert.deepEqual(await subjects('SELECT Subject FROM Task WHERE WhatId = null'), ['No due date']);
    assert.deepEqual(
      await subjects(
        "SELECT Subject FROM Task WHERE (Priority = 'Normal' OR Priority = 'Low') AND NOT (Subject = 'Old call' OR Subject = 'Legal review')",
      ),
      ['No due date'],
    );
    assert.deepEqual(
      await subjects(`SELECT Subject FROM Task WHERE WhatId = '${oppId.slice(0, 15)}' AND Priority != 'Low'`),
      ['Pricing exception'],
      '15-character id literal',
    );
    assert.deepEqual(await subjects("SELECT Subject FROM Task WHERE What.Type = 'Teams_Channel_Link__c'"), [
      'Legal review',
    ]);
    assert.deepEqual(
      await subjects("SELECT Subject FROM Task WHERE Owner.Name LIKE 'Alex%' ORDER BY Subject"),
      ['Old call', 'Pricing exception'],
    );
  });

  test('date literals, date and datetime values', async () => {
    assert.deepEqual(await subjects('SELECT Subject FROM Task WHERE CreatedDate = TODAY'), ['Legal review']);
    assert.deepEqual(
      await subjects('SELECT Subject FROM Task WHERE CreatedDate = LAST_N_DAYS:7 ORDER BY Subject'),
      ['Legal review', 'No due date', 'Pricing exception'],
    );
    assert.deepEqual(await subjects('SELECT Subject FROM Task WHERE CreatedDate < LAST_N_DAYS:30'), [
      'Old call',
    ]);
    assert.deepEqual(await subjects(`SELECT Subject FROM Task WHERE ActivityDate > ${date(0)}`), [
      'Pricing exception',
    ]);
    assert.deepEqual(
      await subjects(`SELECT Subject FROM Task WHERE ActivityDate >= ${date(0)} ORDER BY ActivityDate`),
      ['Legal review', 'Pricing exception'],
    );
    assert.deepEqual(
      await subjects(
        `SELECT Subject FROM Task WHERE CreatedDate > ${new Date(Date.now() - 3 * DAY).toISOString().replace(/\.\d{3}/, '')} AND CreatedDate < ${new Date(Date.now() - 1.5 * DAY).toISOString().replace(/\.\d{3}/, '')}`,
      ),
      ['Pricing exception'],
    );
    assert.deepEqual(await subjects('SELECT Subject FROM Task WHERE ActivityDate = NEXT_N_DAYS:3'), [
      'Pricing exception',
    ]);
  });

  test('ORDER BY with NULLS, LIMIT and OFFSET, COUNT()', async () => {
    assert.deepEqual(await subjects('SELECT Subject FROM Task ORDER BY ActivityDate DESC NULLS LAST'), [
      'Pricing exception',
      'Legal review',
      'Old call',
      'No due date',
    ]);
    assert.deepEqual(
      await subjects('SELECT Subject FROM Task ORDER BY ActivityDate ASC'),
      ['No due date', 'Old call', 'Legal review', 'Pricing exception'],
      'ascending puts nulls first by default',
    );
    assert.deepEqual(
      await subjects('SELECT Subject FROM Task ORDER BY ActivityDate ASC NULLS LAST LIMIT 2 OFFSET 1'),
      ['Legal review', 'Pricing exception'],
    );
    const count = await conn.query("SELECT COUNT() FROM Task WHERE Priority = 'Normal'");
    assert.equal(count.totalSize, 2);
    assert.deepEqual(count.records, []);
    const agg = await conn.query<{ n: number }>('SELECT COUNT(Id) n FROM Task');
    assert.equal(agg.records[0]!.n, 4);
  });

  test('custom metadata records are queryable with their standard fields', async () => {
    const rules = await conn.query<{
      DeveloperName: string;
      Label: string;
      QualifiedApiName: string;
      Due_In_Days__c: number | null;
    }>(
      'SELECT DeveloperName, Label, QualifiedApiName, Due_In_Days__c FROM Teams_Rule__mdt ORDER BY DeveloperName',
    );
    assert.deepEqual(
      rules.records.map((r) => [r.DeveloperName, r.Label, r.QualifiedApiName, r.Due_In_Days__c]),
      [
        ['Competitor_Mentions', 'Competitor Mentions', 'Competitor_Mentions', null],
        ['Deal_Desk_Keywords', 'Deal Desk Keywords', 'Deal_Desk_Keywords', 2],
      ],
    );
  });

  test('query errors carry the real codes and message format', async () => {
    const noColumn = await queryError(conn, 'SELECT Id, Nope__c FROM Account', 'INVALID_FIELD');
    assert.equal(
      noColumn,
      "\nSELECT Id, Nope__c FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nope__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    assert.match(
      await queryError(conn, 'SELECT Owner.Nope FROM Task', 'INVALID_FIELD'),
      /No such column 'Nope' on entity 'User'/,
    );
    assert.match(
      await queryError(conn, 'SELECT Opportunity.Name FROM Teams_Channel_Link__c', 'INVALID_FIELD'),
      /Didn't understand relationship 'Opportunity' in field path/,
    );
    assert.match(
      await queryError(conn, 'SELECT Id FROM Task WHERE Nope__c = 1', 'INVALID_FIELD'),
      /No such column 'Nope__c' on entity 'Task'/,
    );
    assert.match(
      await queryError(conn, 'SELECT Id FROM Widget__c', 'INVALID_TYPE'),
      /sObject type 'Widget__c' is not supported/,
    );
    assert.match(await queryError(conn, 'SELECT Id FROM', 'MALFORMED_QUERY'), /unexpected token: <EOF>/);
    assert.match(
      await queryError(conn, 'SELECT Id, FROM Account', 'MALFORMED_QUERY'),
      /unexpected token: 'FROM'/,
    );
    assert.match(
      await queryError(
        conn,
        "SELECT Id FROM Task WHERE CreatedDate > '2024-01-01'",
        'INVALID_QUERY_FILTER_OPERATOR',
      ),
      /value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes/,
    );
    assert.match(
      await queryError(
        conn,
        "SELECT Id FROM Opportunity WHERE Amount > '5'",
        'INVALID_QUERY_FILTER_OPERATOR',
      ),
      /must be of type double/,
    );
    assert.match(
      await queryError(conn, "SELECT Id FROM Task WHERE WhatId = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR'),
      /invalid ID field: nope/,
    );
    assert.match(
      await queryError(conn, "SELECT Id FROM Task WHERE Description = 'x'", 'INVALID_FIELD'),
      /field 'Description' can not be filtered in a query call/,
    );
    assert.match(
      await queryError(conn, 'SELECT Id FROM Teams_Rule__mdt ORDER BY Terms__c', 'INVALID_FIELD'),
      /field 'Terms__c' can not be sorted in a query call/,
    );
    assert.match(
      await queryError(conn, 'SELECT Id FROM Task WHERE WhatId = 5', 'INVALID_QUERY_FILTER_OPERATOR'),
      /must be of type id and should be enclosed in quotes/,
    );
    assert.match(
      await queryError(conn, 'SELECT Id FROM Account OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE'),
      /Maximum SOQL offset allowed is 2000/,
    );
  });

  test('queryMore pages in batches of 2000 through nextRecordsUrl', async () => {
    const records = Array.from({ length: 2600 }, (_, i) => ({
      Name: `Bulk ${String(i).padStart(4, '0')}`,
      Entra_Object_Id__c: `bulk-${i}`,
    }));
    sf.control.seed('Teams_User_Mapping__c', records);
    const first = await conn.query<{ Name: string }>('SELECT Name FROM Teams_User_Mapping__c ORDER BY Name');
    assert.equal(first.totalSize, 2600);
    assert.equal(first.done, false);
    assert.equal(first.records.length, 2000);
    assert.match(first.nextRecordsUrl!, /\/services\/data\/v62\.0\/query\/01g[a-zA-Z0-9]{12}-2000$/);
    const second = await conn.queryMore<{ Name: string }>(first.nextRecordsUrl!);
    assert.equal(second.done, true);
    assert.equal(second.records.length, 600);
    assert.equal(second.records.at(-1)!.Name, 'Bulk 2599');
    const forged = first.nextRecordsUrl!.replace(/01g[a-zA-Z0-9]{12}/, '01g5g00000zzzzz');
    await assert.rejects(
      async () => conn.queryMore(forged),
      (err: JsforceError) => err.errorCode === 'INVALID_QUERY_LOCATOR',
    );

    const all = await conn
      .query('SELECT Id FROM Teams_User_Mapping__c')
      .run({ autoFetch: true, maxFetch: 5000 });
    assert.equal(all.records.length, 2600);
    const small = await conn.request<{ records: unknown[]; nextRecordsUrl: string }>({
      method: 'GET',
      url: `/query?q=${encodeURIComponent('SELECT Id FROM Teams_User_Mapping__c')}`,
      headers: { 'Sforce-Query-Options': 'batchSize=500' },
    });
    assert.equal(small.records.length, 500);
    assert.match(small.nextRecordsUrl, /-500$/);
  });
});
