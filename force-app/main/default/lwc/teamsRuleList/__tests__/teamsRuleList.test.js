import { createElement } from 'lwc';
import TeamsRuleList from 'c/teamsRuleList';
import getRules from '@salesforce/apex/TeamsBridgeAdminController.getRules';
import { getNavigateCalledWith, resetNavigate } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';

const RULES = require('./data/rules.json');

jest.mock(
  '@salesforce/apex/TeamsBridgeAdminController.getRules',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });
jest.mock('@salesforce/label/c.TB_Yes', () => ({ default: 'Yes' }), { virtual: true });
jest.mock('@salesforce/label/c.TB_No', () => ({ default: 'No' }), { virtual: true });

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
    expect($(element, 'c-teams-admin-card').loading).toBe(true);

    getRules.emit(RULES);
    await Promise.resolve();
    const table = $(element, 'c-teams-datatable');
    expect(table.keyField).toBe('developerName');
    expect(table.data.map((rule) => rule.termList)).toEqual([
      'discount, pricing exception, legal review, redline, MSA, procurement, deal desk',
      'Acme Corp, Globex, Initech',
    ]);
    expect(table.data[0]).toMatchObject({ critical: true, priority: 'High', action: 'Task' });
    expect($(element, 'c-teams-admin-card').loading).toBe(false);
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
    const card = $(element, 'c-teams-admin-card');
    expect(card.empty).toBe(true);
    expect(card.emptyMessage).toBe('c.TB_NoRules');
    getRules.error({ message: 'No access to Teams_Rule__mdt' });
    await Promise.resolve();
    expect(card.errors.body.message).toBe('No access to Teams_Rule__mdt');
    expect(card.errorMessage).toBe('c.TB_RulesLoadError');
    expect(card.empty).toBe(false);
    card.dispatchEvent(new CustomEvent('refresh'));
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('shows both values of Critical and Active, never an empty cell for false', async () => {
    const element = create();
    getRules.emit([...RULES, { ...RULES[1], developerName: 'Off', active: false }]);
    await Promise.resolve();
    const table = $(element, 'c-teams-datatable');
    expect(table.data.map((rule) => [rule.criticalText, rule.activeText])).toEqual([
      ['Yes', 'Yes'],
      ['No', 'Yes'],
      ['No', 'No'],
    ]);
    const byLabel = Object.fromEntries(table.columns.map((column) => [column.label, column]));
    expect(byLabel['c.TB_ColCritical']).toMatchObject({ fieldName: 'criticalText' });
    expect(byLabel['c.TB_ColCritical'].type).toBeUndefined();
    expect(byLabel['c.TB_ColActive']).toMatchObject({ fieldName: 'activeText' });
  });
});
