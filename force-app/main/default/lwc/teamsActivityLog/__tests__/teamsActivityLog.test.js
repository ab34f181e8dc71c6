import { createElement } from 'lwc';
import TeamsActivityLog from 'c/teamsActivityLog';
import getActivityLog from '@salesforce/apex/TeamsBridgeAdminController.getActivityLog';
import { refreshApex } from '@salesforce/apex';

const ACTIVITY = require('./data/activity.json');

jest.mock(
  '@salesforce/apex/TeamsBridgeAdminController.getActivityLog',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

// Lets the generated URLs (promises) settle and the component re-render.
async function flushPromises() {
  for (let i = 0; i < 10; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

function create(props = {}) {
  const element = createElement('c-teams-activity-log', { is: TeamsActivityLog });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-teams-activity-log', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.resetAllMocks();
  });

  it('asks for the newest Tasks and shows them with links to the Task, the record and the message', async () => {
    const element = create();
    await Promise.resolve();
    expect($(element, 'c-teams-admin-card').loading).toBe(true);
    expect(getActivityLog.getLastConfig()).toEqual({ limitSize: 50 });

    getActivityLog.emit(ACTIVITY);
    await flushPromises();
    const rows = $(element, 'c-teams-datatable').data;
    // Record page URLs come from lightning/navigation (GenerateUrl), never a hand-built "/<id>".
    expect(rows[0]).toMatchObject({
      taskUrl: '/lightning/r/sObject/00T000000000001AAA/view',
      whatUrl: '/lightning/r/sObject/006000000000001AAA/view',
      messageUrl: ACTIVITY[0].messageUrl,
      createdTime: Date.parse(ACTIVITY[0].createdDate),
    });
    expect(rows[0].createdExact).toMatch(/2026/);
    expect(rows[1].whatUrl).toBeUndefined();
    expect($(element, 'c-teams-datatable').wrapTableHeader).toBe('all');
    const columns = $(element, 'c-teams-datatable').columns;
    const messageColumn = columns.find((c) => c.fieldName === 'messageUrl');
    expect(messageColumn.typeAttributes).toEqual({ label: 'c.TB_ViewInTeams', target: '_blank' });
    expect(columns.find((c) => c.fieldName === 'createdTime').type).toBe('relativeTime');
    await expect(element).toBeAccessible();
  });

  it('honours a smaller limit and refreshes on demand', async () => {
    const element = create({ limitSize: 10 });
    await Promise.resolve();
    expect(getActivityLog.getLastConfig()).toEqual({ limitSize: 10 });
    expect($(element, 'c-teams-admin-card').refreshable).toBe(true);
    $(element, 'c-teams-admin-card').dispatchEvent(new CustomEvent('refresh'));
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('says so when there is no activity, and why when loading fails', async () => {
    const element = create();
    getActivityLog.emit([]);
    await Promise.resolve();
    const card = $(element, 'c-teams-admin-card');
    expect(card.empty).toBe(true);
    expect(card.emptyMessage).toBe('c.TB_NoActivity');
    getActivityLog.error({ message: 'No access to Task.Teams_Message_Id__c' });
    await Promise.resolve();
    expect(card.errorMessage).toBe('c.TB_ActivityLoadError');
    expect(card.errors.body.message).toBe('No access to Task.Teams_Message_Id__c');
    expect(card.empty).toBe(false);
  });
});
