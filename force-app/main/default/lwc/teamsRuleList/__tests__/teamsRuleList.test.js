import { createElement } from 'lwc';
import TeamsRuleList from 'c/teamsRuleList';
import getRules from '@salesforce/apex/TeamsRulesController.getRules';
import { getNavigateCalledWith, resetNavigate } from 'lightning/navigation';

const RULES = require('./data/rules.json');

jest.mock(
  '@salesforce/apex/TeamsRulesController.getRules',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

function create() {
  const element = createElement('c-teams-rule-list', { is: TeamsRuleList });
  document.body.appendChild(element);
  return element;
}

describe('c-teams-rule-list', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    resetNavigate();
  });

  it('shows a spinner, then the rules with their terms one per item', async () => {
    const element = create();
    await Promise.resolve();
    expect($(element, '.loading lightning-spinner')).not.toBeNull();

    getRules.emit(RULES);
    await Promise.resolve();
    const table = $(element, 'lightning-datatable');
    expect(table.keyField).toBe('developerName');
    expect(table.data.map((rule) => rule.termList)).toEqual([
      'discount, pricing exception, legal review, redline, MSA, procurement, deal desk',
      'Acme Corp, Globex, Initech',
    ]);
    expect(table.data[0]).toMatchObject({ critical: true, priority: 'High', action: 'Task' });
    expect($(element, '.loading')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('opens Custom Metadata Types in Setup to manage the rules', async () => {
    const element = create();
    getRules.emit(RULES);
    await Promise.resolve();
    expect(getNavigateCalledWith().pageReference).toBeUndefined();
    $(element, 'lightning-button.manage-rules').click();
    const { pageReference } = getNavigateCalledWith();
    expect(pageReference).toEqual({
      type: 'standard__webPage',
      attributes: { url: '/lightning/setup/CustomMetadata/home' },
    });
  });

  it('says so when there are no rules, and why when loading fails', async () => {
    const element = create();
    getRules.emit([]);
    await Promise.resolve();
    expect($(element, '.no-rules').textContent).toBe('c.TB_NoRules');
    getRules.error({ message: 'No access to Teams_Rule__mdt' });
    await Promise.resolve();
    expect($(element, 'c-teams-error-panel').errors.body.message).toBe('No access to Teams_Rule__mdt');
    expect($(element, '.no-rules')).toBeNull();
  });
});
