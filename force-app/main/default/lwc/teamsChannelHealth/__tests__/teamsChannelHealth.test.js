import { createElement } from 'lwc';
import TeamsChannelHealth from 'c/teamsChannelHealth';
import getChannelHealth from '@salesforce/apex/TeamsChannelHealthController.getChannelHealth';
import renewSubscription from '@salesforce/apex/TeamsChannelHealthController.renewSubscription';
import { refreshApex } from '@salesforce/apex';

const HEALTH = require('./data/channelHealth.json');

jest.mock(
  '@salesforce/apex/TeamsChannelHealthController.getChannelHealth',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock('@salesforce/apex/TeamsChannelHealthController.renewSubscription', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });
jest.mock(
  '@salesforce/label/c.TB_ChannelHealthSummary',
  () => ({ default: '{0} linked, {1} need attention' }),
  {
    virtual: true,
  },
);

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
  $(element, 'lightning-datatable').dispatchEvent(
    new CustomEvent('rowaction', { detail: { action: { name: 'renew' }, row } }),
  );
}

describe('c-teams-channel-health', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.resetAllMocks();
  });

  it('shows a spinner until the wire answers', async () => {
    const element = createElement('c-teams-channel-health', { is: TeamsChannelHealth });
    document.body.appendChild(element);
    await flushPromises();
    expect($(element, '.loading lightning-spinner')).not.toBeNull();
  });

  it('shows each link with its subscription health, and counts the ones that need attention', async () => {
    const element = await createLoaded();
    expect($(element, '.summary').textContent).toBe('3 linked, 1 need attention');

    const rows = $(element, 'lightning-datatable').data;
    expect(rows.map((row) => row.rowKey)).toEqual([
      'a01000000000001AAA:sub-acme-1',
      'a01000000000002AAA:sub-globex-1',
      'a01000000000003AAA',
    ]);
    expect(rows[0]).toMatchObject({
      recordUrl: '/006000000000001AAA',
      subscriptionStatusText: 'Active',
      statusClass: '',
      renewDisabled: false,
    });
    expect(rows[0].expiresIn).not.toBe('');
    expect(rows[1]).toMatchObject({ statusClass: 'slds-text-color_error', lastError: HEALTH[1].lastError });
    // No subscription: nothing to renew, and it says so.
    expect(rows[2]).toMatchObject({
      recordUrl: undefined,
      subscriptionStatusText: 'c.TB_NoSubscription',
      expiresIn: '',
      renewDisabled: true,
    });
    const columns = $(element, 'lightning-datatable').columns;
    expect(columns.find((column) => column.type === 'button').typeAttributes).toMatchObject({
      name: 'renew',
      disabled: { fieldName: 'renewDisabled' },
    });
    await expect(element).toBeAccessible();
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
    expect($(element, 'lightning-datatable').data[1].renewDisabled).toBe(true);

    finish();
    await flushPromises();
    expect(toast.mock.calls[0][0].detail).toMatchObject({
      title: 'c.TB_Renewed',
      message: 'Globex Expansion',
      variant: 'success',
    });
    expect(refreshApex).toHaveBeenCalled();
    expect($(element, 'lightning-datatable').data[1].renewDisabled).toBe(false);
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

  it('refreshes on the refresh button', async () => {
    const element = await createLoaded();
    $(element, 'lightning-button-icon.refresh').click();
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('says so when nothing is linked, and why when loading fails', async () => {
    const element = await createLoaded([]);
    expect($(element, '.no-rows').textContent).toBe('c.TB_NoChannelLinks');
    getChannelHealth.error({ message: 'Insufficient access to Teams_Subscription__c' });
    await flushPromises();
    expect($(element, 'c-teams-error-panel').errors.body.message).toBe(
      'Insufficient access to Teams_Subscription__c',
    );
    expect($(element, 'c-teams-error-panel').friendlyMessage).toBe('c.TB_ChannelHealthLoadError');
    expect($(element, '.no-rows')).toBeNull();
  });
});
