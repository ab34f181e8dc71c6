import { createElement } from 'lwc';
import TeamsDeadLetters from 'c/teamsDeadLetters';
import getDeadLetters from '@salesforce/apex/TeamsBridgeAdminController.getDeadLetters';
import retryDeadLetter from '@salesforce/apex/TeamsBridgeAdminController.retryDeadLetter';

const PAGE_1 = require('./data/deadLettersPage1.json');
const PAGE_2 = require('./data/deadLettersPage2.json');

jest.mock('@salesforce/apex/TeamsBridgeAdminController.getDeadLetters', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsBridgeAdminController.retryDeadLetter', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.TB_PageSummary', () => ({ default: '{0}-{1} of {2}' }), { virtual: true });
// Real label text where the test reads the sentence a job becomes.
jest.mock('@salesforce/label/c.TB_JobDescription', () => ({ default: '{0}: {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.TB_JobInbound', () => ({ default: 'Teams message to Task' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.TB_JobOutbound', () => ({ default: 'Post to Teams' }), { virtual: true });
jest.mock('@salesforce/label/c.TB_JobMessageFrom', () => ({ default: 'message from {0} in {1}' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.TB_JobMessageIn', () => ({ default: 'a message in {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.TB_JobHandoff', () => ({ default: 'handoff of {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.TB_JobNoDetails', () => ({ default: 'no details recorded' }), {
  virtual: true,
});

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
  $(element, 'c-teams-datatable').dispatchEvent(
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
    expect($(element, 'c-teams-admin-card').loading).toBe(true);
    expect($(element, 'c-teams-admin-card').empty).toBe(false);
  });

  it('shows the first page with the total, and pages forward and back', async () => {
    getDeadLetters.mockResolvedValueOnce(PAGE_1).mockResolvedValueOnce(PAGE_2).mockResolvedValueOnce(PAGE_1);
    const element = await create();
    expect(getDeadLetters).toHaveBeenCalledWith({ limitSize: 2, offset: 0 });
    expect($(element, 'c-teams-datatable').data.map((row) => row.id)).toEqual(['dl-0001', 'dl-0002']);
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
    expect($(element, 'c-teams-admin-card').empty).toBe(true);
    expect($(element, 'c-teams-admin-card').emptyMessage).toBe('c.TB_NoDeadLetters');
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
    expect($(element, 'c-teams-datatable').data[0].retryDisabled).toBe(true);
    expect($(element, 'c-teams-datatable').data[1].retryDisabled).toBe(false);

    finish();
    await flushPromises();
    expect(toast.mock.calls[0][0].detail).toMatchObject({
      title: 'c.TB_Retried',
      message: `Teams message to Task: ${PAGE_1.items[0].summary}`,
      variant: 'success',
    });
    expect(getDeadLetters).toHaveBeenCalledTimes(2);
    expect($(element, 'c-teams-datatable').data[0].retryDisabled).toBe(false);
  });

  it('names a job without a summary by its kind, and toasts the reason when a retry fails', async () => {
    getDeadLetters.mockResolvedValue(PAGE_1);
    const element = await create();
    const toast = jest.fn();
    element.addEventListener(TOAST, toast);
    retryDeadLetter.mockResolvedValueOnce(undefined);
    retry(element, PAGE_1.items[1]);
    await flushPromises();
    expect(toast.mock.calls[0][0].detail.message).toBe('Post to Teams: no details recorded');

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
    $(element, 'c-teams-datatable').dispatchEvent(
      new CustomEvent('rowaction', { detail: { action: { name: 'view' }, row: PAGE_1.items[0] } }),
    );
    await flushPromises();
    expect(retryDeadLetter).not.toHaveBeenCalled();
  });

  it('says why when the service cannot be reached, and recovers on "Try again" or refresh', async () => {
    getDeadLetters.mockRejectedValueOnce({ body: { message: 'Service answered 503: database unavailable' } });
    const element = await create();
    const card = $(element, 'c-teams-admin-card');
    expect(card.errorMessage).toBe('c.TB_DeadLettersLoadError');
    expect(card.errors.body.message).toBe('Service answered 503: database unavailable');
    expect(card.empty).toBe(false);

    getDeadLetters.mockResolvedValueOnce(PAGE_1);
    card.dispatchEvent(new CustomEvent('refresh'));
    await flushPromises();
    expect(card.errors).toBeUndefined();
    expect($(element, 'c-teams-datatable').data).toHaveLength(2);
  });

  it('says what failed in words, never the queue name', async () => {
    getDeadLetters.mockResolvedValue({
      items: [
        ...PAGE_1.items,
        { id: 'dl-3', queue: 'inbound-message', sender: 'Lee Gu', channelName: 'Deal - Acme Renewal' },
        { id: 'dl-4', queue: 'inbound-message', channelName: 'Globex Expansion' },
        { id: 'dl-5', queue: 'outbound-post', recordName: 'Acme Renewal 2027' },
        { id: 'dl-6', queue: 'transcript-fetch' },
        { id: 'dl-7', queue: 'housekeeping', summary: 'Nightly cleanup' },
      ],
      total: 7,
    });
    const element = await create({ pageSize: 10 });
    const rows = $(element, 'c-teams-datatable').data;
    expect(rows.map((row) => row.description)).toEqual([
      'Teams message to Task: Task for message 1732350000000 in Deal - Acme Renewal',
      'Post to Teams: no details recorded',
      'Teams message to Task: message from Lee Gu in Deal - Acme Renewal',
      'Teams message to Task: a message in Globex Expansion',
      'Post to Teams: handoff of Acme Renewal 2027',
      'c.TB_JobTranscript: no details recorded',
      'c.TB_JobOther: Nightly cleanup',
    ]);
    expect($(element, 'c-teams-datatable').wrapTableHeader).toBe('all');
    const columns = $(element, 'c-teams-datatable').columns;
    expect(columns.map((column) => column.fieldName)).not.toContain('queue');
    expect(columns.find((column) => column.fieldName === 'error')).toMatchObject({ type: 'longText' });
    expect(columns.find((column) => column.fieldName === 'failedTime')).toMatchObject({
      type: 'relativeTime',
      typeAttributes: { exact: { fieldName: 'failedExact' } },
    });
    expect(rows[0].failedTime).toBe(Date.parse(PAGE_1.items[0].failedAt));
    expect(rows[0].failedExact).toMatch(/2026/);
    // Wide enough for the icon, "Retry" and the cell padding.
    expect(columns.find((column) => column.type === 'button').initialWidth).toBeGreaterThanOrEqual(120);
    await expect(element).toBeAccessible();
  });
});
