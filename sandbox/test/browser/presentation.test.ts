/**
 * The two pages as a rep and an admin see them, at the widths Lightning gives the components: the record page's
 * main column at 600, 700 and 800 px, the setup tab at 1280 and 1024 px. Each state gets a screenshot per width
 * (sandbox/test-artifacts/presentation-*.png), axe-core (no serious or critical violation), and a check that
 * no text a user reads is cut off.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { assertAccessible, launchChromium, screenshot, watchErrors } from './page-checks.ts';
import { assertNothingTruncated, hideSimulation, setRecordColumn } from './layout-checks.ts';
import { startSandbox, type RunningSandbox } from './sandbox-process.ts';

const RECORD_COLUMNS = [600, 700, 800];
const SETUP_WIDTHS = [1280, 1024];
const SETUP_PATH = '/lightning/n/Teams_Bridge_Admin';

let sandbox: RunningSandbox;
let browser: Browser;

before(async () => {
  sandbox = await startSandbox();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

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

async function open(
  path: string,
  width: number,
  persona = 'admin',
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 1000 } });
  const errors = watchErrors(page);
  const url = new URL(path, sandbox.info.workbench.url);
  url.searchParams.set('as', persona);
  await page.goto(url.toString());
  return { page, errors };
}

/** Screenshot, axe and the truncation check for one state at one width. */
async function check(page: Page, root: string, name: string): Promise<void> {
  await page.waitForTimeout(300); // let the last render settle before the screenshot
  await screenshot(page, `presentation-${name}`);
  await assertAccessible(page, name);
  await assertNothingTruncated(page, root, name);
}

async function pick(combobox: Locator, option: string): Promise<void> {
  await combobox.locator('.slds-combobox__input').click();
  await combobox.locator('lightning-base-combobox-item', { hasText: option }).first().click();
}

const demoRecordPath = () => new URL(sandbox.info.workbench.url).pathname;

for (const column of RECORD_COLUMNS) {
  test(`record page at a ${column} px column: the conversation, bounded, with the composer under it`, async () => {
    const { page, errors } = await open(demoRecordPath(), 1600);
    await setRecordColumn(page, column);
    const card = page.locator('c-teams-conversation');
    await card.locator('.message-scroller c-teams-message').first().waitFor({ timeout: 30_000 });
    await check(page, 'c-teams-conversation', `record-conversation-${column}`);

    // The message region is bounded; the composer follows it and stays inside the card.
    const region = await card.locator('.message-scroller').boundingBox();
    const composer = await card.locator('.composer').boundingBox();
    assert.ok(region && composer, 'the message region and the composer are shown');
    assert.ok(region.height <= 24 * 16 + 2, `the message region is at most 24rem high (${region.height} px)`);
    assert.ok(composer.y >= region.y + region.height, 'the composer sits under the message region');

    await card.locator('.message-scroller button.reply').first().click();
    await card.locator('.message-scroller c-teams-reply-box').waitFor();
    await check(page, 'c-teams-conversation', `record-reply-open-${column}`);
    const withReply = await card.locator('.message-scroller').boundingBox();
    assert.ok(withReply && withReply.height <= 24 * 16 + 2, 'an open reply box does not grow the card');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`record page at a ${column} px column: an unlinked record, the link form for both ways to link`, async () => {
    const closeDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const { ids } = (await control(sandbox.info.salesforce.controlUrl, '/records/Opportunity', {
      Name: `Northwind — Expansion ${column}`,
      StageName: 'Prospecting',
      CloseDate: closeDate,
    })) as { ids: string[] };
    const { page, errors } = await open(`/lightning/r/Opportunity/${ids[0]}/view`, 1600);
    await setRecordColumn(page, column);
    const linker = page.locator('c-teams-conversation c-teams-channel-link');
    await linker.waitFor();
    await pick(linker.locator('lightning-combobox').first(), 'Sales');
    await linker.locator('lightning-radio-group.channel').waitFor();
    await check(page, 'c-teams-conversation', `record-link-existing-${column}`);
    // "Link to" and "Channel": two controls, two names.
    const groupNames = await linker.locator('lightning-radio-group legend').allInnerTexts();
    assert.equal(
      new Set(groupNames.map((n: string) => n.replace('*', '').trim())).size,
      groupNames.length,
      `${groupNames}`,
    );

    await linker.locator('lightning-radio-group.mode label', { hasText: 'new channel' }).click();
    await linker.locator('lightning-button.create').waitFor();
    await check(page, 'c-teams-conversation', `record-link-create-${column}`);
    // The button sits clear of the field above (a block margin, not an ignored inline one).
    const field = await linker.locator('lightning-input.channel-name').boundingBox();
    const button = await linker.locator('lightning-button.create button').boundingBox();
    assert.ok(
      field && button && button.y - (field.y + field.height) >= 10,
      'Create channel is spaced from the field',
    );
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('record page: while the conversation fails to load, the error says so, offers Try again, and the composer is off', async () => {
  await control(sandbox.info.graph.controlUrl, '/setFaults', {
    errorRate: 1,
    errorStatus: 500,
    target: 'graph',
    pathContains: '/messages',
  });
  try {
    for (const column of RECORD_COLUMNS) {
      const { page } = await open(demoRecordPath(), 1600);
      await setRecordColumn(page, column);
      const card = page.locator('c-teams-conversation');
      await card.locator('.conversation-error').waitFor({ timeout: 30_000 });
      await check(page, 'c-teams-conversation', `record-conversation-error-${column}`);
      assert.ok(await card.locator('.conversation-error button.retry').isVisible(), 'Try again is offered');
      assert.ok(await card.locator('c-teams-reply-box textarea').isDisabled(), 'the composer is off');
      await page.close();
    }
  } finally {
    await control(sandbox.info.graph.controlUrl, '/clearFaults', {});
  }
});

const TABS: { label: string; panel: string; ready: string; name: string }[] = [
  { label: 'User mappings', panel: 'c-teams-user-mappings', ready: 'table.mappings', name: 'mappings' },
  {
    label: 'Channels and subscriptions',
    panel: 'c-teams-channel-health',
    ready: 'c-teams-datatable',
    name: 'channels',
  },
  { label: 'Rules', panel: 'c-teams-rule-list', ready: 'c-teams-datatable', name: 'rules' },
  { label: 'Activity log', panel: 'c-teams-activity-log', ready: 'c-teams-admin-card', name: 'activity' },
  { label: 'Failed jobs', panel: 'c-teams-dead-letters', ready: 'c-teams-admin-card', name: 'failed-jobs' },
  {
    label: 'Service health',
    panel: 'c-teams-service-health',
    ready: '.checked-at, c-teams-error-panel',
    name: 'service',
  },
];

for (const width of SETUP_WIDTHS) {
  test(`setup tab at ${width} px: every panel, and the mapping editor in place`, async () => {
    const { page, errors } = await open(SETUP_PATH, width);
    await hideSimulation(page);
    const admin = page.locator('c-teams-bridge-admin');
    for (const tab of TABS) {
      await admin.locator('lightning-tab-bar a', { hasText: tab.label }).first().click();
      await admin.locator(`${tab.panel} ${tab.ready}`).first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(500); // the panel's data and its table's column widths
      await check(page, 'c-teams-bridge-admin', `setup-${tab.name}-${width}`);
    }

    await admin.locator('lightning-tab-bar a', { hasText: 'User mappings' }).first().click();
    const mappings = admin.locator('c-teams-user-mappings');
    const row = mappings.locator('tr[data-id]').first();
    await row.locator('lightning-button.edit button').click();
    // The editor opens in the row right under its mapping.
    const editRow = mappings.locator('tr.edit-row');
    await editRow.waitFor();
    const rowBox = await row.boundingBox();
    const editBox = await editRow.boundingBox();
    assert.ok(
      rowBox && editBox && Math.abs(editBox.y - (rowBox.y + rowBox.height)) <= 2,
      'editor under its row',
    );
    await check(page, 'c-teams-bridge-admin', `setup-mapping-editor-${width}`);

    // Service health: one readable list, the raw detail behind a disclosure.
    await admin.locator('lightning-tab-bar a', { hasText: 'Service health' }).first().click();
    const health = admin.locator('c-teams-service-health');
    await health.locator('.checked-at, c-teams-error-panel').first().waitFor({ timeout: 20_000 });
    const labels = await health.locator('li.component .label').all();
    for (const label of labels) {
      const labelBox = await label.boundingBox();
      const badge = label.locator('xpath=following-sibling::*[1]');
      if ((await badge.count()) === 0) continue;
      const badgeBox = await badge.boundingBox();
      assert.ok(
        labelBox && badgeBox && badgeBox.x - labelBox.x <= 12 * 16,
        'a status stands next to its label',
      );
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
}
