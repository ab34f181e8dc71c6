import { createElement } from 'lwc';
import TeamsOutboundFailures from 'c/teamsOutboundFailures';
import getOutboundFailures from '@salesforce/apex/TeamsOutboundFailuresController.getOutboundFailures';
import retryOutboundFailure from '@salesforce/apex/TeamsOutboundFailuresController.retryOutboundFailure';

jest.mock(
  '@salesforce/apex/TeamsOutboundFailuresController.getOutboundFailures',
  () => ({ default: jest.fn() }),
  {
    virtual: true,
  },
);
jest.mock(
  '@salesforce/apex/TeamsOutboundFailuresController.retryOutboundFailure',
  () => ({ default: jest.fn() }),
  {
    virtual: true,
  },
);

const TOAST = 'lightning__showtoast';
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const FAILURES = [
  { id: 'a0X1', name: 'TOF-00001', status: 'Open', itemCount: 3, attempts: 5, reason: 'Attempt 5: busy' },
  { id: 'a0X2', name: 'TOF-00002', status: 'Paused', itemCount: 1, attempts: 0, reason: 'Sandbox uat' },
];

async function flushPromises() {
  for (let i = 0; i < 10; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

async function create() {
  const element = createElement('c-teams-outbound-failures', { is: TeamsOutboundFailures });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

function retry(element, row) {
  $(element, 'lightning-datatable').dispatchEvent(
    new CustomEvent('rowaction', { detail: { action: { name: 'retry' }, row } }),
  );
}

describe('c-teams-outbound-failures', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.resetAllMocks();
  });

  it('lists the failed batches and says so when there are none', async () => {
    getOutboundFailures.mockResolvedValueOnce(FAILURES).mockResolvedValueOnce([]);
    const element = await create();
    expect($(element, 'lightning-datatable').data.map((r) => r.name)).toEqual(['TOF-00001', 'TOF-00002']);
    await expect(element).toBeAccessible();
    $(element, 'lightning-button-icon.refresh').click();
    await flushPromises();
    expect($(element, 'lightning-datatable')).toBeNull();
    expect($(element, '.no-items').textContent).toBe('c.TB_NoOutboundFailures');
  });

  it('retries a batch, disables its button meanwhile, and reloads', async () => {
    getOutboundFailures.mockResolvedValueOnce(FAILURES).mockResolvedValueOnce([FAILURES[1]]);
    let finish;
    retryOutboundFailure.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const element = await create();
    const toast = jest.fn();
    element.addEventListener(TOAST, toast);
    retry(element, FAILURES[0]);
    await flushPromises();
    expect($(element, 'lightning-datatable').data[0].retryDisabled).toBe(true);
    finish();
    await flushPromises();
    expect(retryOutboundFailure).toHaveBeenCalledWith({ failureId: 'a0X1' });
    expect(toast.mock.calls[0][0].detail.variant).toBe('success');
    expect($(element, 'lightning-datatable').data.map((r) => r.id)).toEqual(['a0X2']);
  });

  it('says why a retry or the list failed', async () => {
    getOutboundFailures.mockResolvedValueOnce(FAILURES);
    retryOutboundFailure.mockRejectedValue({ body: { message: 'Outbound posting is paused.' } });
    const element = await create();
    const toast = jest.fn();
    element.addEventListener(TOAST, toast);
    $(element, 'lightning-datatable').dispatchEvent(
      new CustomEvent('rowaction', { detail: { action: { name: 'other' }, row: FAILURES[0] } }),
    );
    retry(element, FAILURES[0]);
    await flushPromises();
    expect(toast.mock.calls[0][0].detail).toMatchObject({
      variant: 'error',
      message: 'Outbound posting is paused.',
    });
    getOutboundFailures.mockRejectedValueOnce({ body: { message: 'No access.' } });
    $(element, 'lightning-button-icon.refresh').click();
    await flushPromises();
    expect($(element, 'c-teams-error-panel').friendlyMessage).toBe('c.TB_OutboundFailuresLoadError');
  });
});
