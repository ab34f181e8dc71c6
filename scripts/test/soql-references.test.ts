import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankCommentsAndStrings, findSoqlLiterals, simplifyBinds } from '../validate/apex-source.ts';
import { loadProject } from '../validate/project.ts';
import { SchemaModel } from '../validate/schema-model.ts';
import { checkSoql } from '../validate/soql-references.ts';
import { CLEAN_FIXTURE } from './fixture-project.ts';

const model = new SchemaModel(loadProject(CLEAN_FIXTURE));
const messages = (soql: string): string[] =>
  checkSoql(simplifyBinds(soql), model).map((issue) => issue.message);

test('Apex binds of any shape become literals the parser reads', () => {
  assert.equal(
    simplifyBinds(
      "SELECT Id FROM Task WHERE Id IN :ids AND WhatId = :rec.get('Id') AND Subject = :names[0] LIMIT :n",
    ),
    "SELECT Id FROM Task WHERE Id IN ('b') AND WhatId = 'b' AND Subject = 'b' LIMIT 1",
  );
});

test('SOQL literals are found outside comments and strings', () => {
  const source =
    "// [SELECT Nope FROM X]\nString s = '[SELECT Id FROM Y]';\nList<Account> a = [SELECT Id FROM Account WHERE Id IN :ids[0]];";
  assert.deepEqual(
    findSoqlLiterals(blankCommentsAndStrings(source)).map((l) => l.text),
    ['SELECT Id FROM Account WHERE Id IN :ids[0]'],
  );
});

test('fields in SELECT, WHERE, ORDER BY, relationships, subqueries, TYPEOF and semi-joins are resolved', () => {
  assert.deepEqual(
    messages(
      'SELECT Id, Account__r.Owner.Name, CreatedBy.Email FROM Widget__c WHERE Amount__c > :min AND Id IN (SELECT WhatId FROM Task WHERE Widget_Ref__c != null) ORDER BY Name LIMIT :n',
    ),
    [],
  );
  assert.deepEqual(
    messages('SELECT Name, (SELECT Code__c FROM Widgets__r), (SELECT Subject FROM Tasks) FROM Account'),
    [],
  );
  assert.deepEqual(messages('SELECT Id, (SELECT Id FROM Widgets__r) FROM Widget__c'), [
    'Widget__c has no child relationship Widgets__r',
  ]);
  assert.deepEqual(messages('SELECT TYPEOF What WHEN Widget__c THEN Code__c END FROM Task'), []);
  assert.deepEqual(messages('SELECT Id FROM Widget__c WHERE Colour__c = :c ORDER BY Size__c'), [
    'unknown field Widget__c.Colour__c: no objects/Widget__c/fields/Colour__c.field-meta.xml in the package',
    'unknown field Widget__c.Size__c: no objects/Widget__c/fields/Size__c.field-meta.xml in the package',
  ]);
  assert.deepEqual(
    messages('SELECT Id FROM Widget__c WHERE Id IN (SELECT WhatId FROM Event WHERE Nope__c = 1)'),
    ['unknown field Event.Nope__c: no objects/Activity/fields/Nope__c.field-meta.xml in the package'],
  );
  assert.deepEqual(messages('SELECT Owner.Nme FROM Widget__c'), [
    'unknown field Nme on a polymorphic lookup (What/Who/Owner): only Name-object fields are available',
  ]);
  assert.deepEqual(messages('SELECT Id FROM Gadget__c'), [
    'unknown object Gadget__c: no objects/Gadget__c/Gadget__c.object-meta.xml in the package',
  ]);
});
