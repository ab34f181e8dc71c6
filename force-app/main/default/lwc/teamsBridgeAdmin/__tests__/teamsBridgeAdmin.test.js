import { createElement } from 'lwc';
import TeamsBridgeAdmin from 'c/teamsBridgeAdmin';

// The tabs' own components are tested on their own; here they only need their Apex to exist.
jest.mock(
  '@salesforce/apex/TeamsUserMappingsController.getUserMappings',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/TeamsChannelHealthController.getChannelHealth',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/TeamsRulesController.getRules',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/TeamsActivityLogController.getActivityLog',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock('@salesforce/apex/TeamsUserMappingsController.updateMapping', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsUserMappingsController.autoMatchMappings', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsChannelHealthController.renewSubscription', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock(
  '@salesforce/apex/TeamsDeadLettersController.getDeadLetters',
  () => ({ default: jest.fn(() => Promise.resolve({ items: [], total: 0 })) }),
  { virtual: true },
);
jest.mock('@salesforce/apex/TeamsDeadLettersController.retryDeadLetter', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock(
  '@salesforce/apex/TeamsServiceHealthController.getServiceStatus',
  () => ({ default: jest.fn(() => Promise.resolve({ healthy: true, queueDepth: 0 })) }),
  { virtual: true },
);

jest.mock(
  '@salesforce/apex/TeamsUnassignedMeetingsController.getUnassignedMeetings',
  () => ({ default: jest.fn(() => Promise.resolve([])) }),
  {
    virtual: true,
  },
);
jest.mock(
  '@salesforce/apex/TeamsOutboundFailuresController.getOutboundFailures',
  () => ({ default: jest.fn(() => Promise.resolve([])) }),
  {
    virtual: true,
  },
);
jest.mock(
  '@salesforce/apex/TeamsUnassignedMeetingsController.assignMeeting',
  () => ({ default: jest.fn() }),
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/TeamsOutboundFailuresController.retryOutboundFailure',
  () => ({ default: jest.fn() }),
  { virtual: true },
);

describe('c-teams-bridge-admin', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('has one tab per admin job, each holding its component', async () => {
    const element = createElement('c-teams-bridge-admin', { is: TeamsBridgeAdmin });
    document.body.appendChild(element);
    await Promise.resolve();

    expect(element.shadowRoot.querySelector('lightning-card').title).toBe('c.TB_AdminTitle');
    const tabs = [...element.shadowRoot.querySelectorAll('lightning-tab')];
    expect(tabs.map((tab) => [tab.label, tab.value])).toEqual([
      ['c.TB_TabMappings', 'mappings'],
      ['c.TB_TabChannels', 'channels'],
      ['c.TB_TabRules', 'rules'],
      ['c.TB_TabActivity', 'activity'],
      ['c.TB_TabUnassignedMeetings', 'unassigned-meetings'],
      ['c.TB_TabDeadLetters', 'dead-letters'],
      ['c.TB_TabService', 'service'],
    ]);
    const children = tabs.map((tab) => tab.firstElementChild.tagName.toLowerCase());
    expect(children).toEqual([
      'c-teams-user-mappings',
      'c-teams-channel-health',
      'c-teams-rule-list',
      'c-teams-activity-log',
      'c-teams-unassigned-meetings',
      'c-teams-dead-letters',
      'c-teams-service-health',
    ]);
    // The cards Salesforce could not hand to the service sit next to the service's own failed jobs.
    expect(tabs[5].querySelector('c-teams-outbound-failures')).not.toBeNull();
    await expect(element).toBeAccessible();
  });
});
