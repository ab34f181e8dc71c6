import { createElement } from 'lwc';
import TeamsActivityLog from 'c/teamsActivityLog';
import getActivityLog from '@salesforce/apex/TeamsActivityLogController.getActivityLog';
import { refreshApex } from '@salesforce/apex';

const ACTIVITY = require('./data/activity.json');

jest.mock(
  '@salesforce/apex/TeamsActivityLogController.getActivityLog',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

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
    expect($(element, '.loading lightning-spinner')).not.toBeNull();
    expect(getActivityLog.getLastConfig()).toEqual({ limitSize: 50 });

    getActivityLog.emit(ACTIVITY);
    await Promise.resolve();
    const rows = $(element, 'lightning-datatable').data;
    expect(rows[0]).toMatchObject({
      taskUrl: '/00T000000000001AAA',
      whatUrl: '/006000000000001AAA',
      messageUrl: ACTIVITY[0].messageUrl,
    });
    expect(rows[1].whatUrl).toBeUndefined();
    const messageColumn = $(element, 'lightning-datatable').columns.find((c) => c.fieldName === 'messageUrl');
    expect(messageColumn.typeAttributes).toEqual({ label: 'c.TB_ViewInTeams', target: '_blank' });
    await expect(element).toBeAccessible();
  });

  it('honours a smaller limit and refreshes on demand', async () => {
    const element = create({ limitSize: 10 });
    await Promise.resolve();
    expect(getActivityLog.getLastConfig()).toEqual({ limitSize: 10 });
    $(element, 'lightning-button-icon.refresh').click();
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('says so when there is no activity, and why when loading fails', async () => {
    const element = create();
    getActivityLog.emit([]);
    await Promise.resolve();
    expect($(element, '.no-rows').textContent).toBe('c.TB_NoActivity');
    getActivityLog.error({ message: 'No access to Task.Teams_Message_Id__c' });
    await Promise.resolve();
    const panel = $(element, 'c-teams-error-panel');
    expect(panel.friendlyMessage).toBe('c.TB_ActivityLoadError');
    expect(panel.errors.body.message).toBe('No access to Task.Teams_Message_Id__c');
  });
});
