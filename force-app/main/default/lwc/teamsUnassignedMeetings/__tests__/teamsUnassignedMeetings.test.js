import { createElement } from 'lwc';
import TeamsUnassignedMeetings from 'c/teamsUnassignedMeetings';
import getUnassignedMeetings from '@salesforce/apex/TeamsUnassignedMeetingsController.getUnassignedMeetings';
import assignMeeting from '@salesforce/apex/TeamsUnassignedMeetingsController.assignMeeting';
import getSkippedMeetings from '@salesforce/apex/TeamsUnassignedMeetingsController.getSkippedMeetings';

const MEETINGS = require('./data/unassignedMeetings.json');

jest.mock(
  '@salesforce/apex/TeamsUnassignedMeetingsController.getUnassignedMeetings',
  () => ({ default: jest.fn() }),
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/TeamsUnassignedMeetingsController.assignMeeting',
  () => ({ default: jest.fn() }),
  {
    virtual: true,
  },
);
jest.mock(
  '@salesforce/apex/TeamsUnassignedMeetingsController.getSkippedMeetings',
  () => ({ default: jest.fn() }),
  { virtual: true },
);
jest.mock('@salesforce/label/c.TB_AssignHeading', () => ({ default: 'Assign "{0}"' }), { virtual: true });
jest.mock('@salesforce/label/c.TB_AssignedToast', () => ({ default: '{0} Tasks created.' }), {
  virtual: true,
});

const TOAST = 'lightning__showtoast';
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function flushPromises() {
  for (let i = 0; i < 10; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

async function create() {
  const element = createElement('c-teams-unassigned-meetings', { is: TeamsUnassignedMeetings });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

async function pick(element, row = MEETINGS[0]) {
  $(element, 'lightning-datatable').dispatchEvent(
    new CustomEvent('rowaction', { detail: { action: { name: 'assign' }, row } }),
  );
  await flushPromises();
}

async function typeRecordId(element, value) {
  const input = $(element, 'lightning-input.record-id');
  input.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  await flushPromises();
}

describe('c-teams-unassigned-meetings', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.resetAllMocks();
  });

  it('lists the unassigned meetings and is accessible', async () => {
    getUnassignedMeetings.mockResolvedValue(MEETINGS);
    const element = await create();
    expect(getUnassignedMeetings).toHaveBeenCalledWith({ limitSize: 50 });
    const table = $(element, 'lightning-datatable');
    expect(table.data.map((m) => m.key)).toEqual(['MSp-m1|MSMj-t1']);
    expect(table.columns.map((c) => c.fieldName ?? c.type)).toEqual([
      'subject',
      'meetingDate',
      'reason',
      'itemCount',
      'button',
    ]);
    expect($(element, '.no-items')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('says so when there is nothing to assign', async () => {
    getUnassignedMeetings.mockResolvedValue([]);
    const element = await create();
    expect($(element, '.no-items')).not.toBeNull();
    expect($(element, 'lightning-datatable')).toBeNull();
  });

  it('shows the error panel when the list cannot be loaded', async () => {
    getUnassignedMeetings.mockRejectedValue({ body: { message: 'service unreachable' } });
    const element = await create();
    expect($(element, 'c-teams-error-panel')).not.toBeNull();
  });

  it('assigns a meeting to a record Id, toasts the Tasks created and reloads', async () => {
    getUnassignedMeetings.mockResolvedValueOnce(MEETINGS).mockResolvedValueOnce([]);
    assignMeeting.mockResolvedValue(2);
    const element = await create();
    const toasts = jest.fn();
    element.addEventListener(TOAST, toasts);
    await pick(element);
    expect($(element, 'section.assign h3').textContent).toBe('Assign "Fabrikam pricing call"');
    expect($$(element, '.action-items li').map((li) => li.textContent)).toEqual([
      'Alex Wilber: I will send the quote by Friday.',
      'Alex Wilber: Priya, can you confirm the seats?',
    ]);
    expect($(element, 'lightning-button.confirm').disabled).toBe(true);
    await typeRecordId(element, 'not-an-id');
    expect($(element, 'lightning-button.confirm').disabled).toBe(true);
    await typeRecordId(element, ' 006000000000001AAA ');
    expect($(element, 'lightning-button.confirm').disabled).toBe(false);
    await expect(element).toBeAccessible();

    $(element, 'lightning-button.confirm').click();
    await flushPromises();
    expect(assignMeeting).toHaveBeenCalledWith({
      meetingId: 'MSp-m1',
      transcriptId: 'MSMj-t1',
      recordId: '006000000000001AAA',
    });
    expect(toasts.mock.calls[0][0].detail).toMatchObject({ title: '2 Tasks created.', variant: 'success' });
    expect(getUnassignedMeetings).toHaveBeenCalledTimes(2);
    expect($(element, 'section.assign')).toBeNull();
  });

  it('switches to the skipped meetings, with their reason and no assign button', async () => {
    getUnassignedMeetings.mockResolvedValue(MEETINGS);
    getSkippedMeetings.mockResolvedValue([
      {
        key: 'MSp-m2|MSMj-t2',
        meetingId: 'MSp-m2',
        transcriptId: 'MSMj-t2',
        subject: 'Pipeline review',
        meetingDate: '2026-03-11',
        reason: 'no external participant (TRANSCRIPTS_REQUIRE_EXTERNAL_PARTICIPANT)',
        itemCount: 0,
        actionItems: [],
      },
    ]);
    const element = await create();
    $(element, 'lightning-radio-group.view').dispatchEvent(
      new CustomEvent('change', { detail: { value: 'skipped' } }),
    );
    await flushPromises();
    expect(getSkippedMeetings).toHaveBeenCalledWith({ limitSize: 50 });
    const table = $(element, 'lightning-datatable');
    expect(table.data.map((m) => m.reason)).toEqual([
      'no external participant (TRANSCRIPTS_REQUIRE_EXTERNAL_PARTICIPANT)',
    ]);
    expect(table.columns.some((c) => c.type === 'button')).toBe(false);
    expect(table.columns[2].label).toBe('c.TB_ColSkippedReason');
    await expect(element).toBeAccessible();

    getSkippedMeetings.mockResolvedValue([]);
    $(element, 'button.refresh, lightning-button-icon.refresh').click();
    await flushPromises();
    expect($(element, '.no-items').textContent).toBe('c.TB_NoSkippedMeetings');
  });

  it('keeps the form and toasts the reason when the assignment fails', async () => {
    getUnassignedMeetings.mockResolvedValue(MEETINGS);
    assignMeeting.mockRejectedValue({
      body: { message: 'Enter the Id of an Opportunity or Account you can open.' },
    });
    const element = await create();
    const toasts = jest.fn();
    element.addEventListener(TOAST, toasts);
    await pick(element);
    await typeRecordId(element, '001000000000001');
    $(element, 'lightning-button.confirm').click();
    await flushPromises();
    expect(toasts.mock.calls[0][0].detail).toMatchObject({
      message: 'Enter the Id of an Opportunity or Account you can open.',
      variant: 'error',
    });
    expect($(element, 'section.assign')).not.toBeNull();

    $(element, 'lightning-button.cancel').click();
    await flushPromises();
    expect($(element, 'section.assign')).toBeNull();
  });
});
