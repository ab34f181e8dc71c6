import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activityDate, buildTask } from '../../src/inbound/task-fields.ts';
import type { Rule } from '../../src/salesforce/directory.ts';

const rule: Rule = {
  developerName: 'Competitor_Mentions',
  label: 'Competitor mentions',
  kind: 'Competitor',
  terms: ['Globex'],
  action: 'Flag',
  subjectTemplate: '{term} mentioned by {sender} in {channel} ({rule})',
  priority: 'Normal',
  dueInDays: 3,
  critical: false,
  active: true,
};

const link = {
  id: 'a01000000000001',
  name: 'Deal desk',
  teamId: 'team-1',
  teamName: 'Contoso Sales',
  channelId: '19:abc@thread.tacv2',
  channelName: 'Acme renewal',
  webUrl: 'https://teams.microsoft.com/l/channel/19%3aabc',
  status: 'Active',
  recordId: '006000000000001AAA',
};

test('buildTask fills every field from rule, link, message and owner', () => {
  const task = buildTask({
    key: 'tb1_x',
    match: { rule, term: 'Globex' },
    link,
    message: {
      id: 'm1',
      createdDateTime: '2026-11-20T23:30:00Z',
      webUrl: 'https://teams.microsoft.com/l/message/19%3aabc/m1',
    },
    text: 'Globex is pitching them',
    sender: { name: 'Megan Bowen', email: 'megan@contoso.com' },
    ownerId: '005000000000001AAA',
  });
  assert.equal(task.Subject, 'Flag: Globex mentioned by Megan Bowen in Acme renewal (Competitor mentions)');
  assert.equal(task.WhatId, link.recordId);
  assert.equal(task.OwnerId, '005000000000001AAA');
  assert.equal(task.ActivityDate, '2026-11-23');
  assert.equal(task.Priority, 'Low', 'flags are low priority');
  assert.equal(task.Status, 'Not Started');
  assert.equal(task.Teams_Message_Id__c, 'tb1_x');
  assert.equal(task.Teams_Message_Url__c, 'https://teams.microsoft.com/l/message/19%3aabc/m1');
  assert.match(task.Description, /From: Megan Bowen <megan@contoso.com>/);
  assert.match(task.Description, /Channel: Contoso Sales \/ Acme renewal/);
  assert.match(task.Description, /Posted: 2026-11-20T23:30:00Z/);
  assert.match(task.Description, /Globex is pitching them$/);
});

test('long subjects and message URLs are kept within the field sizes', () => {
  const task = buildTask({
    key: 'k',
    match: { rule: { ...rule, action: 'Task', subjectTemplate: '{term}'.repeat(100) }, term: 'Globex' },
    link: { ...link, webUrl: null },
    message: { id: 'm', webUrl: `https://teams.microsoft.com/${'x'.repeat(300)}` },
    text: 'y'.repeat(40_000),
    sender: { name: 'A', email: null },
    ownerId: '005',
  });
  assert.equal(task.Subject.length, 255);
  assert.equal(task.Priority, 'Normal');
  assert.ok(task.Description.length <= 32_000);
  assert.equal(task.Teams_Message_Url__c, undefined);
});

test('activityDate adds days to the UTC date', () => {
  assert.equal(activityDate('2026-12-31T10:00:00Z', 1), '2027-01-01');
  assert.equal(activityDate('2026-02-27T00:00:00Z', 0), '2026-02-27');
});

test('sender, channel and text reach the Task as plain text only', () => {
  const task = buildTask({
    key: 'tb1_y',
    match: { rule, term: 'Globex' },
    link: { ...link, channelName: 'Acme <b>renewal</b>', teamName: '<i>Contoso</i> Sales' },
    message: { id: 'm2', createdDateTime: '2026-11-20T23:30:00Z' },
    text: 'Globex <script>alert(1)</script>pitch\u0007',
    sender: { name: '<img src=x onerror=alert(1)>Eve\u0000 Attacker', email: null },
    ownerId: '005000000000001AAA',
  });
  assert.equal(task.Subject, 'Flag: Globex mentioned by Eve Attacker in Acme renewal (Competitor mentions)');
  for (const bad of ['<', '\u0000', '\u0007']) assert.ok(!task.Description.includes(bad), task.Description);
  assert.match(task.Description, /From: Eve Attacker\n/);
  assert.match(task.Description, /Channel: Contoso Sales \/ Acme renewal/);
  assert.match(task.Description, /Globex pitch$/);
});
