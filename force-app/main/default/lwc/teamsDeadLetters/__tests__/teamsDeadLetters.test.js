import { createElement } from 'lwc';
import TeamsDeadLetters from 'c/teamsDeadLetters';
import getDeadLetters from '@salesforce/apex/TeamsDeadLettersController.getDeadLetters';
import retryDeadLetter from '@salesforce/apex/TeamsDeadLettersController.retryDeadLetter';

const PAGE_1 = require('./data/deadLettersPage1.json');
const PAGE_2 = require('./data/deadLettersPage2.json');

jest.mock('@salesforce/apex/TeamsDeadLettersController.getDeadLetters', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsDeadLettersController.retryDeadLetter', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.TB_PageSummary', () => ({ default: '{0}-{1} of {2}' }), { virtual: true });

const TOAST = 'lightning__showtoast';
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

// Lets pending Apex promises settle and the component re-render (microtasks only).
async function flushPromises() {
  for (let i = 0; i < 10; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

async function create(props = { pageSize: 2 }) {
  const element = createElement('c-teams-dead-letters', { is: TeamsDeadLetters });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

function retry(element, row) {
  $(element, 'lightning-datatable').dispatchEvent(
    new CustomEvent('rowaction', { detail: { action: { name: 'retry' }, row } }),
  );
}

describe('c-teams-dead-letters', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.resetAllMocks();
  });

  it('shows a spinner while the first page loads', async () => {
    getDeadLetters.mockReturnValue(new Promise(() => {}));
    const element = await create();
    expect($(element, '.loading lightning-spinner')).not.toBeNull();
    expect($(element, '.no-items')).toBeNull();
  });

  it('shows the first page with the total, and pages forward and back', async () => {
    getDeadLetters.mockResolvedValueOnce(PAGE_1).mockResolvedValueOnce(PAGE_2).mockResolvedValueOnce(PAGE_1);
    const element = await create();
    expect(getDeadLetters).toHaveBeenCalledWith({ limitSize: 2, offset: 0 });
    expect($(element, 'lightning-datatable').data.map((row) => row.id)).toEqual(['dl-0001', 'dl-0002']);
    expect($(element, '.page-summary').textContent).toBe('1-2 of 3');
    expect($(element, 'lightning-button.previous').disabled).toBe(true);
    expect($(element, 'lightning-button.next').disabled).toBe(false);
    await expect(element).toBeAccessible();

    $(element, 'lightning-button.next').click();
    await flushPromises();
    expect(getDeadLetters).toHaveBeenLastCalledWith({ limitSize: 2, offset: 2 });
    expect($(element, '.page-summary').textContent).toBe('3-3 of 3');
    expect($(element, 'lightning-button.next').disabled).toBe(true);
    expect($(element, 'lightning-button.previous').disabled).toBe(false);

    $(element, 'lightning-button.previous').click();
    await flushPromises();
    expect(getDeadLetters).toHaveBeenLastCalledWith({ limitSize: 2, offset: 0 });
  });

  it('uses 20 rows a page by default', async () => {
    getDeadLetters.mockResolvedValue({ items: [], total: 0 });
    const element = await create({});
    expect(getDeadLetters).toHaveBeenCalledWith({ limitSize: 20, offset: 0 });
    expect($(element, '.no-items').textContent).toBe('c.TB_NoDeadLetters');
  });

  it('retries one job, disabling its button meanwhile, then reloads', async () => {
    getDeadLetters.mockResolvedValue(PAGE_1);
    const element = await create();
    const toast = jest.fn();
    element.addEventListener(TOAST, toast);
    let finish;
    retryDeadLetter.mockReturnValue(
      new Promise((resolve) => {
        finish = resolve;
      }),
    );
    retry(element, PAGE_1.items[0]);
    await flushPromises();
    expect(retryDeadLetter).toHaveBeenCalledWith({ deadLetterId: 'dl-0001' });
    expect($(element, 'lightning-datatable').data[0].retryDisabled).toBe(true);
    expect($(element, 'lightning-datatable').data[1].retryDisabled).toBe(false);

    finish();
    await flushPromises();
    expect(toast.mock.calls[0][0].detail).toMatchObject({
      title: 'c.TB_Retried',
      message: PAGE_1.items[0].summary,
      variant: 'success',
    });
    expect(getDeadLetters).toHaveBeenCalledTimes(2);
    expect($(element, 'lightning-datatable').data[0].retryDisabled).toBe(false);
  });

  it('names a job without a summary by its id, and toasts the reason when a retry fails', async () => {
    getDeadLetters.mockResolvedValue(PAGE_1);
    const element = await create();
    const toast = jest.fn();
    element.addEventListener(TOAST, toast);
    retryDeadLetter.mockResolvedValueOnce(undefined);
    retry(element, PAGE_1.items[1]);
    await flushPromises();
    expect(toast.mock.calls[0][0].detail.message).toBe('dl-0002');

    retryDeadLetter.mockRejectedValueOnce({ body: { message: 'Dead letter dl-0002 no longer exists.' } });
    retry(element, PAGE_1.items[1]);
    await flushPromises();
    expect(toast.mock.calls[1][0].detail).toEqual({
      title: 'c.TB_ActionFailed',
      message: 'Dead letter dl-0002 no longer exists.',
      variant: 'error',
    });
  });

  it('ignores other row actions', async () => {
    getDeadLetters.mockResolvedValue(PAGE_1);
    const element = await create();
    $(element, 'lightning-datatable').dispatchEvent(
      new CustomEvent('rowaction', { detail: { action: { name: 'view' }, row: PAGE_1.items[0] } }),
    );
    await flushPromises();
    expect(retryDeadLetter).not.toHaveBeenCalled();
  });

  it('says why when the service cannot be reached, and recovers on refresh', async () => {
    getDeadLetters.mockRejectedValueOnce({ body: { message: 'Service answered 503: database unavailable' } });
    const element = await create();
    const panel = $(element, 'c-teams-error-panel');
    expect(panel.friendlyMessage).toBe('c.TB_DeadLettersLoadError');
    expect(panel.errors.body.message).toBe('Service answered 503: database unavailable');
    expect($(element, '.no-items')).toBeNull();

    getDeadLetters.mockResolvedValueOnce(PAGE_1);
    $(element, 'lightning-button-icon.refresh').click();
    await flushPromises();
    expect($(element, 'c-teams-error-panel')).toBeNull();
    expect($(element, 'lightning-datatable').data).toHaveLength(2);
  });
});
