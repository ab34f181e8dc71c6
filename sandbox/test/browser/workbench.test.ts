/**
 * The workbench in Debian's chromium: the package's real components on the record page and the setup tab,
 * driven as a rep and an admin would and through the simulation panel, against the whole sandbox (service,
 * queue, stand-ins). Each page state is checked with axe-core and kept as a screenshot in sandbox/test-artifacts/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { assertAccessible, launchChromium, screenshot, watchErrors } from './page-checks.ts';
import { startSandbox, type RunningSandbox } from './sandbox-process.ts';

const TEAM_ID = '7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0';
const CHANNEL_ID = '19:dealdesk0a1b2c3d4e5f60718293a4b5@thread.tacv2';
const README_IMAGES = new URL('../../../docs/images/', import.meta.url).pathname;

let sandbox: RunningSandbox;
let browser: Browser;

before(async () => {
  // One attempt per inbound job, so a failure becomes a dead letter at once.
  sandbox = await startSandbox({ JOB_RETRY_LIMIT: '0' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

async function open(path: string, persona = 'admin'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors = watchErrors(page);
  const url = new URL(path, sandbox.info.workbench.url);
  url.searchParams.set('as', persona);
  await page.goto(url.toString());
  return { page, errors };
}

const recordPath = (id: string) => `/lightning/r/Opportunity/${id}/view`;
const demoRecordPath = () => new URL(sandbox.info.workbench.url).pathname;

async function pick(combobox: Locator, option: string): Promise<void> {
  await combobox.locator('.slds-combobox__input').click();
  await combobox.locator('lightning-base-combobox-item', { hasText: option }).first().click();
}

async function control(
  base: string,
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const graphControl = (path: string, body?: unknown) => control(sandbox.info.graph.controlUrl, path, body);
const sfControl = (path: string, body?: unknown, method?: string) =>
  control(sandbox.info.salesforce.controlUrl, path, body, method);

async function service(method: string, path: string, body?: unknown) {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const response = await fetch(`${sandbox.info.service.baseUrl}${path}`, {
    method,
    headers: {
      // The JWT the Named Credential would add, minted by the Salesforce stand-in's org certificate.
      ...((await sfControl('/callout-token', {})) as Record<string, string>),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : raw,
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => null)) as Record<string, unknown>,
  };
}

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

test('record page: a deal-desk message posted in Teams appears in the conversation card and as a Task in the related list', async () => {
  const { page, errors } = await open(demoRecordPath());
  await page.locator('c-teams-conversation .channel-summary').waitFor();
  await page.locator('wb-record-page .record-name', { hasText: 'Contoso' }).waitFor();
  await assertAccessible(page, 'the record page');
  await screenshot(page, 'record-page');

  const sim = page.locator('wb-simulation');
  await sim
    .locator('.sim-text textarea')
    .fill('Can deal desk approve a 15% discount for Contoso before Friday?');
  await sim.locator('.sim-send button').click();
  await page
    .locator('c-teams-conversation c-teams-message', { hasText: 'approve a 15% discount for Contoso' })
    .waitFor({ timeout: 30_000 });
  const task = page.locator('wb-record-page .task', { hasText: /discount/i });
  await task.waitFor({ timeout: 45_000 });
  assert.match(await task.innerText(), /Assigned to Alex Wilber/);
  await assertAccessible(page, 'the record page with a new message and Task');
  const afterShot = await screenshot(page, 'record-page-after-message');
  mkdirSync(README_IMAGES, { recursive: true });
  copyFileSync(afterShot, `${README_IMAGES}workbench-record-page.png`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('setup tab: the admin sees every panel', async () => {
  const { page, errors } = await open('/lightning/n/Teams_Bridge_Admin');
  await page.locator('c-teams-user-mappings table.mappings', { hasText: 'Lee Gu' }).waitFor();
  await assertAccessible(page, 'the setup tab');
  const shot = await screenshot(page, 'setup-tab');
  mkdirSync(README_IMAGES, { recursive: true });
  copyFileSync(shot, `${README_IMAGES}workbench-setup-tab.png`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('record page: a reply typed on the record page lands in the Teams channel', async (t) => {
  // The reply route answers 501 until the outbound work (a Teams bot that posts) lands in the service.
  const probe = await service('POST', '/v1/conversation/reply', {});
  if (probe.status === 501) {
    t.skip(`the service's POST /v1/conversation/reply still answers 501: ${JSON.stringify(probe.body)}`);
    return;
  }
  const { page, errors } = await open(demoRecordPath());
  const box = page
    .locator('c-teams-conversation > * c-teams-reply-box, c-teams-conversation c-teams-reply-box')
    .first();
  await box.locator('textarea').fill('Reply from the record page: approved on our side.');
  await box.locator('.send button').click();
  await eventually('the reply in the channel', async () => {
    const messages = (await graphControl(
      `/messages?teamId=${encodeURIComponent(TEAM_ID)}&channelId=${encodeURIComponent(CHANNEL_ID)}`,
    )) as { body?: { content?: string } }[];
    return messages.find((m) => m.body?.content?.includes('approved on our side')) ? true : undefined;
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test('unlinked record: an admin picks a team and channel and links it; a rep sees what to ask for', async () => {
  const closeDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const { ids } = (await sfControl('/records/Opportunity', {
    Name: 'Fabrikam — Pilot',
    StageName: 'Prospecting',
    CloseDate: closeDate,
  })) as { ids: string[] };
  const recordId = ids[0]!;

  const rep = await open(recordPath(recordId), 'rep');
  const repCard = rep.page.locator('c-teams-conversation');
  await repCard.locator('.empty-state').waitFor();
  // A rep may not link channels (custom permission Teams_Bridge_Link_Channels): no picker, only whom to ask.
  await repCard.locator('.ask-admin').waitFor();
  assert.match(await repCard.innerText(), /isn't linked to a Teams channel yet/);
  assert.match(await repCard.innerText(), /Ask your Salesforce admin to link a Teams channel/);
  assert.equal(await repCard.locator('c-teams-channel-link').count(), 0);
  await assertAccessible(rep.page, 'an unlinked record as a rep');
  await screenshot(rep.page, 'unlinked-record-rep');
  await rep.page.close();

  const admin = await open(recordPath(recordId));
  const card = admin.page.locator('c-teams-conversation');
  await card.locator('.empty-state c-teams-channel-link').waitFor();
  const linker = card.locator('c-teams-channel-link');
  await pick(linker.locator('lightning-combobox').first(), 'Sales');
  // The Sales team's Pipeline channel (Deal Desk is linked to the demo Opportunity already).
  await linker.locator('lightning-radio-group.channel label', { hasText: 'Pipeline' }).click();
  await assertAccessible(admin.page, 'an unlinked record as an admin, picking a channel');
  await screenshot(admin.page, 'unlinked-record-admin');
  await linker.locator('lightning-button', { hasText: 'Link channel' }).locator('button').click();
  await card.locator('.channel-summary', { hasText: 'Pipeline' }).waitFor({ timeout: 20_000 });
  const links = (await sfControl(
    `/query?q=${encodeURIComponent(`SELECT Channel_Name__c, Status__c FROM Teams_Channel_Link__c WHERE Opportunity__c = '${recordId}'`)}`,
  )) as { records: { Channel_Name__c: string; Status__c: string }[] };
  assert.deepEqual(
    links.records.map((r) => [r.Channel_Name__c, r.Status__c]),
    [['Pipeline', 'Active']],
  );
  assert.deepEqual(admin.errors, []);
  await admin.page.close();
});

test('setup tab: the admin maps an unmapped Teams user, and the next Task from that user goes to the mapped user', async () => {
  const { page, errors } = await open('/lightning/n/Teams_Bridge_Admin');
  const mappings = page.locator('c-teams-user-mappings');
  const row = mappings.locator('tr[data-id]', { hasText: 'Lee Gu' });
  await row.waitFor();
  // "Map user" on an unmapped row, "Change user" on a mapped one: the row's edit button either way.
  await row.locator('lightning-button.edit button').click();
  const picker = mappings.locator('lightning-record-picker');
  await picker.locator('input').fill('Megan');
  await picker.locator('button.result', { hasText: 'Megan Bowen' }).click();
  await assertAccessible(page, 'the setup tab, editing a mapping');
  await screenshot(page, 'setup-tab-edit-mapping');
  await mappings.locator('lightning-button.save button').click();
  await mappings
    .locator('tr', { hasText: 'Lee Gu' })
    .filter({ hasText: 'Megan Bowen' })
    .waitFor({ timeout: 20_000 });
  await page.close();

  await graphControl('/postMessage', {
    teamId: TEAM_ID,
    channelId: CHANNEL_ID,
    from: 'lee@contoso.example',
    content: '<p>Legal sent the <b>redline</b> back for Contoso</p>',
  });
  const record = await open(demoRecordPath());
  const task = record.page.locator('wb-record-page .task', { hasText: /redline/i });
  await task.waitFor({ timeout: 45_000 });
  assert.match(await task.innerText(), /Assigned to Megan Bowen/);
  assert.deepEqual([...errors, ...record.errors], []);
  await record.page.close();
});

test('setup tab: a failed job in the dead-letter list is retried and its Task is written', async () => {
  await sfControl('/faults', { errorRate: 1, errorStatus: 500 }, 'PUT');
  try {
    await graphControl('/postMessage', {
      teamId: TEAM_ID,
      channelId: CHANNEL_ID,
      from: 'alex@contoso.example',
      content: '<p>Globex offered them a lower price</p>',
    });
    await eventually(
      'a dead letter',
      async () => {
        const { body } = await service('GET', '/v1/dead-letters?limit=20&offset=0');
        return Number(body?.total ?? 0) > 0 ? true : undefined;
      },
      90_000,
    );
  } finally {
    await sfControl('/faults', undefined, 'DELETE');
  }
  const { page, errors } = await open('/lightning/n/Teams_Bridge_Admin');
  await page.locator('lightning-tab-bar a, lightning-tab-bar li', { hasText: 'Failed jobs' }).first().click();
  const deadLetters = page.locator('c-teams-dead-letters');
  const retry = deadLetters.locator('c-teams-datatable button', { hasText: 'Retry' }).first();
  await retry.waitFor({ timeout: 20_000 });
  await assertAccessible(page, 'the dead-letter list');
  await screenshot(page, 'setup-tab-dead-letters');
  await retry.click();
  await page.locator('wb-app .toast_success').first().waitFor({ timeout: 20_000 });
  await eventually('the retried Task', async () => {
    const tasks = (await sfControl(
      `/query?q=${encodeURIComponent('SELECT Subject FROM Task WHERE Teams_Message_Id__c != null')}`,
    )) as { records: { Subject: string }[] };
    return tasks.records.some((r) => /globex/i.test(r.Subject)) ? true : undefined;
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test("simulation: a meeting transcript run from the panel becomes action-item Tasks on the record page; an unmatched one is on the setup tab's unassigned list", async () => {
  const { page, errors } = await open(demoRecordPath());
  await page.locator('wb-record-page .record-name', { hasText: 'Contoso' }).waitFor();
  const sim = page.locator('wb-simulation');
  const result = sim.locator('.sim-result');

  // A customer meeting: Dana Whitfield's email is on the demo Account's Website domain.
  await pick(sim.locator('lightning-combobox.sim-meeting'), 'Contoso renewal: pricing review');
  await sim.locator('.sim-run-transcript button').click();
  await result
    .filter({ hasText: /3 action items → 3 Tasks on Contoso — Enterprise renewal/ })
    .waitFor({ timeout: 45_000 });
  const quote = page.locator('wb-record-page .task', { hasText: 'revised quote by Friday' });
  await quote.waitFor({ timeout: 20_000 });
  assert.match(await quote.innerText(), /Assigned to Alex Wilber/);
  await page.locator('wb-record-page .task', { hasText: 'final seat count' }).waitFor();
  assert.equal(await sim.locator('.sim-action-items li').count(), 3);
  await assertAccessible(page, 'the record page after a meeting transcript');
  await screenshot(page, 'record-page-meeting-transcript');

  // A prospect no Account knows: the meeting waits for the admin on the unassigned list.
  await pick(sim.locator('lightning-combobox.sim-meeting'), 'Northwind Traders: discovery call');
  await sim.locator('.sim-run-transcript button').click();
  await result
    .filter({ hasText: /no Account matched .*northwindtraders\.example/ })
    .waitFor({ timeout: 45_000 });
  await sim.locator('a.sim-transcript-link', { hasText: 'Unassigned meetings' }).click();
  await page.locator('c-teams-bridge-admin').waitFor();
  await page
    .locator('lightning-tab-bar a, lightning-tab-bar li', { hasText: 'Unassigned meetings' })
    .first()
    .click();
  const unassigned = page.locator('c-teams-unassigned-meetings');
  await unassigned
    .locator('lightning-datatable tr', { hasText: 'Northwind Traders: discovery call' })
    .waitFor({ timeout: 20_000 });

  // A meeting without a commitment: no Task, listed with its reason under Skipped.
  await pick(
    page.locator('wb-simulation lightning-combobox.sim-meeting'),
    'Contoso renewal: rollout check-in',
  );
  await page.locator('wb-simulation .sim-run-transcript button').click();
  await page
    .locator('wb-simulation .sim-result', { hasText: 'No Tasks: no action items in the transcript' })
    .waitFor({ timeout: 45_000 });
  await unassigned.locator('lightning-radio-group.view label', { hasText: 'Skipped' }).click();
  await unassigned
    .locator('lightning-datatable tr', { hasText: 'Contoso renewal: rollout check-in' })
    .filter({ hasText: 'no action items' })
    .waitFor({ timeout: 20_000 });
  await unassigned.locator('lightning-radio-group.view label', { hasText: 'Unassigned' }).click();
  await unassigned.locator('lightning-datatable tr', { hasText: 'Northwind Traders' }).waitFor();
  await assertAccessible(page, 'the setup tab with an unassigned meeting and the transcript panel');
  await screenshot(page, 'setup-tab-unassigned-meeting');
  assert.deepEqual(errors, []);
  await page.close();
});

test("record page: an error from the service shows the conversation card's error panel with what to fix", async () => {
  await graphControl('/setFaults', {
    errorRate: 1,
    errorStatus: 500,
    target: 'graph',
    pathContains: '/messages',
  });
  try {
    const { page } = await open(demoRecordPath());
    const panel = page.locator('c-teams-conversation .conversation-error');
    await panel.waitFor({ timeout: 30_000 });
    const text = await panel.innerText();
    assert.match(text, /couldn't load|could not load/i);
    assert.ok(text.trim().split('\n').length >= 2, `the panel says what went wrong: ${text}`);
    await assertAccessible(page, 'the record page with a service error');
    await screenshot(page, 'record-page-service-error');
    await page.close();
  } finally {
    await graphControl('/clearFaults', {});
  }
});
