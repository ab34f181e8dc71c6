import { createElement } from 'lwc';
import TeamsChannelHealth from 'c/teamsChannelHealth';
import getChannelHealth from '@salesforce/apex/TeamsBridgeAdminController.getChannelHealth';
import renewSubscription from '@salesforce/apex/TeamsBridgeAdminController.renewSubscription';
import { refreshApex } from '@salesforce/apex';

const HEALTH = require('./data/channelHealth.json');

jest.mock(
  '@salesforce/apex/TeamsBridgeAdminController.getChannelHealth',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock('@salesforce/apex/TeamsBridgeAdminController.renewSubscription', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });
// Real label text where the test checks the filled-in placeholders and plurals.
jest.mock('@salesforce/label/c.TB_ChannelHealthSummary', () => ({ default: '{0}, {1}.' }), { virtual: true });
jest.mock('@salesforce/label/c.TB_ChannelsLinkedOne', () => ({ default: '{0} linked channel' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.TB_ChannelsLinkedOther', () => ({ default: '{0} linked channels' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.TB_NeedAttentionOne', () => ({ default: '{0} needs attention' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.TB_NeedAttentionOther', () => ({ default: '{0} need attention' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.TB_ChannelSummary', () => ({ default: '{0} in {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.TB_NamesakeChannel', () => ({ default: 'Same-named channel in {0}' }), {
  virtual: true,
});

// The fixtures' "now": subscriptions expire after it, notifications came before it.
const NOW = Date.parse('2026-11-23T12:00:00.000Z');

const TOAST = 'lightning__showtoast';
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

// Lets pending Apex promises settle and the component re-render (microtasks only).
async function flushPromises() {
  for (let i = 0; i < 10; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

async function createLoaded(data = HEALTH) {
  const element = createElement('c-teams-channel-health', { is: TeamsChannelHealth });
  document.body.appendChild(element);
  getChannelHealth.emit(data);
  await flushPromises();
  return element;
}

function renew(element, row) {
  $(element, 'c-teams-datatable').dispatchEvent(
    new CustomEvent('rowaction', { detail: { action: { name: 'renew' }, row } }),
  );
}

describe('c-teams-channel-health', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.resetAllMocks();
    jest.restoreAllMocks();
  });

  it('shows a spinner until the wire answers', async () => {
    const element = createElement('c-teams-channel-health', { is: TeamsChannelHealth });
    document.body.appendChild(element);
    await flushPromises();
    expect($(element, 'c-teams-admin-card').loading).toBe(true);
  });

  it('shows each link with one status, and counts the ones that need attention in words', async () => {
    const element = await createLoaded();
    const card = $(element, 'c-teams-admin-card');
    expect(card.description).toBe('3 linked channels, 1 needs attention.');
    expect(card.refreshable).toBe(true);

    const rows = $(element, 'c-teams-datatable').data;
    expect(rows.map((row) => row.rowKey)).toEqual([
      'a01000000000001AAA:sub-acme-1',
      'a01000000000002AAA:sub-globex-1',
      'a01000000000003AAA',
    ]);
    expect(rows[0]).toMatchObject({
      // The record page URL comes from lightning/navigation, not a hand-built "/<id>".
      recordUrl: '/lightning/r/sObject/006000000000001AAA/view',
      channelLabel: 'Deal - Acme Renewal in Contoso Sales',
      healthLabel: 'c.TB_HealthActive',
      healthClass: 'slds-badge slds-theme_success',
      lastNotificationTime: Date.parse(HEALTH[0].lastNotification),
      expirationTime: Date.parse(HEALTH[0].expiration),
      renewDisabled: false,
    });
    expect(rows[0].expirationExact).toMatch(/2026/);
    expect(rows[1]).toMatchObject({
      // The channel carries the record's name: the team is what tells it apart, not the name twice.
      channelLabel: 'Same-named channel in Contoso Sales',
      healthLabel: 'c.TB_HealthFailing',
      healthClass: 'slds-badge slds-theme_error',
      lastError: HEALTH[1].lastError,
    });
    // Paused on purpose: no subscription to renew, and not counted as needing attention.
    expect(rows[2]).toMatchObject({
      recordUrl: undefined,
      healthLabel: 'c.TB_LinkPaused',
      healthClass: 'slds-badge',
      lastNotificationTime: undefined,
      expirationTime: undefined,
      renewDisabled: true,
    });
    await expect(element).toBeAccessible();
  });

  it('has fewer columns: one status badge, one relative expiry, times with the exact one in a title', async () => {
    const element = await createLoaded();
    const table = $(element, 'c-teams-datatable');
    // Headers wrap instead of truncating ("Link st…", "Last noti…"); widths follow the content.
    expect(table.wrapTableHeader).toBe('all');
    expect(table.columnWidthsMode).toBe('auto');
    const columns = table.columns;
    expect(columns.map((column) => column.label ?? column.type)).toEqual([
      'c.TB_ColRecord',
      'c.TB_ColChannel',
      'c.TB_Status',
      'c.TB_ColLastNotification',
      'c.TB_ColExpires',
      'c.TB_ColLastError',
      'button',
    ]);
    const byLabel = Object.fromEntries(columns.map((column) => [column.label ?? column.type, column]));
    expect(byLabel['c.TB_Status'].type).toBe('badge');
    expect(byLabel['c.TB_ColLastNotification']).toMatchObject({
      type: 'relativeTime',
      typeAttributes: { exact: { fieldName: 'lastNotificationExact' }, emptyLabel: 'c.TB_Never' },
    });
    expect(byLabel['c.TB_ColExpires'].type).toBe('relativeTime');
    expect(byLabel['c.TB_ColLastError']).toMatchObject({ type: 'longText', wrapText: true });
    // Wide enough for the icon, "Renew" and the cell padding.
    expect(byLabel.button.initialWidth).toBeGreaterThanOrEqual(120);
    expect(byLabel.button.typeAttributes).toMatchObject({
      name: 'renew',
      disabled: { fieldName: 'renewDisabled' },
    });
  });

  it('names the other states, and says "1 linked channel" for one', async () => {
    const base = { ...HEALTH[0], linkId: 'l', subscriptionId: 's' };
    const element = await createLoaded([
      { ...base, subscriptionStatus: 'Removed' },
      { ...base, linkId: 'l2', subscriptionStatus: 'Silent' },
      { ...base, linkId: 'l3', expiration: '2026-11-22T00:00:00.000Z' },
      { ...base, linkId: 'l4', subscriptionId: null },
    ]);
    expect($(element, 'c-teams-datatable').data.map((row) => [row.healthLabel, row.healthClass])).toEqual([
      ['c.TB_HealthRemoved', 'slds-badge slds-theme_error'],
      ['c.TB_HealthSilent', 'slds-badge slds-theme_warning'],
      ['c.TB_HealthExpired', 'slds-badge slds-theme_error'],
      ['c.TB_HealthNoSubscription', 'slds-badge slds-theme_warning'],
    ]);
    expect($(element, 'c-teams-admin-card').description).toBe('4 linked channels, 4 need attention.');

    getChannelHealth.emit([{ ...HEALTH[1], channelName: 'Globex room' }]);
    await flushPromises();
    expect($(element, 'c-teams-admin-card').description).toBe('1 linked channel, 1 needs attention.');
    expect($(element, 'c-teams-datatable').data[0].channelLabel).toBe('Globex room in Contoso Sales');
  });

  it('renews a subscription, disabling its button meanwhile, then refreshes', async () => {
    const element = await createLoaded();
    const toast = jest.fn();
    element.addEventListener(TOAST, toast);
    let finish;
    renewSubscription.mockReturnValue(
      new Promise((resolve) => {
        finish = resolve;
      }),
    );
    renew(element, HEALTH[1]);
    await flushPromises();
    expect(renewSubscription).toHaveBeenCalledWith({ subscriptionId: 'sub-globex-1' });
    expect($(element, 'c-teams-datatable').data[1].renewDisabled).toBe(true);

    finish();
    await flushPromises();
    expect(toast.mock.calls[0][0].detail).toMatchObject({
      title: 'c.TB_Renewed',
      message: 'Globex Expansion',
      variant: 'success',
    });
    expect(refreshApex).toHaveBeenCalled();
    expect($(element, 'c-teams-datatable').data[1].renewDisabled).toBe(false);
  });

  it('toasts the reason when renewing fails', async () => {
    const element = await createLoaded();
    const toast = jest.fn();
    element.addEventListener(TOAST, toast);
    renewSubscription.mockRejectedValue({ body: { message: 'Graph says the subscription does not exist.' } });
    renew(element, HEALTH[0]);
    await flushPromises();
    expect(toast.mock.calls[0][0].detail).toEqual({
      title: 'c.TB_ActionFailed',
      message: 'Graph says the subscription does not exist.',
      variant: 'error',
    });
  });

  it('ignores renew on a row without a subscription', async () => {
    const element = await createLoaded();
    renew(element, HEALTH[2]);
    await flushPromises();
    expect(renewSubscription).not.toHaveBeenCalled();
  });

  it('refreshes from the card (its refresh button and "Try again")', async () => {
    const element = await createLoaded();
    $(element, 'c-teams-admin-card').dispatchEvent(new CustomEvent('refresh'));
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('says so when nothing is linked, and why when loading fails', async () => {
    const element = await createLoaded([]);
    const card = $(element, 'c-teams-admin-card');
    expect(card.empty).toBe(true);
    expect(card.emptyMessage).toBe('c.TB_NoChannelLinks');
    getChannelHealth.error({ message: 'Insufficient access to Teams_Subscription__c' });
    await flushPromises();
    expect(card.errors.body.message).toBe('Insufficient access to Teams_Subscription__c');
    expect(card.errorMessage).toBe('c.TB_ChannelHealthLoadError');
    expect(card.empty).toBe(false);
    expect(card.description).toBe('');
  });
});
