import { createElement } from 'lwc';
import TeamsUserMappings from 'c/teamsUserMappings';
import getUserMappings from '@salesforce/apex/TeamsBridgeAdminController.getUserMappings';
import updateMapping from '@salesforce/apex/TeamsBridgeAdminController.updateMapping';
import autoMatchMappings from '@salesforce/apex/TeamsBridgeAdminController.autoMatchMappings';
import { refreshApex } from '@salesforce/apex';

const MAPPINGS = require('./data/mappings.json');

jest.mock(
  '@salesforce/apex/TeamsBridgeAdminController.getUserMappings',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock('@salesforce/apex/TeamsBridgeAdminController.updateMapping', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsBridgeAdminController.autoMatchMappings', () => ({ default: jest.fn() }), {
  virtual: true,
});
// Real label text where the test checks the filled-in placeholders.
jest.mock('@salesforce/label/c.TB_AutoMatchResult', () => ({ default: '{0} matched, {1} still unmapped.' }), {
  virtual: true,
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const TOAST = 'lightning__showtoast';
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

// Lets pending Apex promises settle and the component re-render (microtasks only).
async function flushPromises() {
  for (let i = 0; i < 10; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

function create() {
  const element = createElement('c-teams-user-mappings', { is: TeamsUserMappings });
  document.body.appendChild(element);
  return element;
}

async function createLoaded() {
  const element = create();
  getUserMappings.emit(MAPPINGS);
  await flushPromises();
  return element;
}

async function editRow(element, row) {
  $(element, `lightning-button.edit[data-id="${row.id}"]`).click();
  await flushPromises();
}

describe('c-teams-user-mappings', () => {
  let toast;

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.resetAllMocks();
    jest.useRealTimers();
  });

  it('shows a spinner, then the mappings in a table', async () => {
    const element = create();
    await flushPromises();
    expect($(element, '.loading lightning-spinner')).not.toBeNull();
    expect(getUserMappings.getLastConfig()).toEqual({ searchTerm: '', status: '' });

    getUserMappings.emit(MAPPINGS);
    await flushPromises();
    const headers = [...element.shadowRoot.querySelectorAll('table.mappings thead th')].map((th) =>
      th.textContent.trim(),
    );
    expect(headers).toEqual([
      'c.TB_ColTeamsUser',
      'c.TB_ColSalesforceUser',
      'c.TB_Status',
      'c.TB_ColLastActivity',
      'c.TB_ColActions',
    ]);
    expect($(element, '.loading')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows one identity per Teams user: the name and the address once, the email only when it differs', async () => {
    const element = create();
    getUserMappings.emit([...MAPPINGS, { ...MAPPINGS[0], id: 'x', email: 'adele@contoso.onmicrosoft.com' }]);
    await flushPromises();
    const rows = [...element.shadowRoot.querySelectorAll('table.mappings tbody tr')];
    expect(rows[0].querySelector('.name').textContent).toBe('Adele Vance');
    expect(rows[0].querySelector('.upn').textContent).toBe('adele.vance@contoso.com');
    expect(rows[0].querySelector('.email')).toBeNull();
    expect(rows[0].textContent.split('adele.vance@contoso.com')).toHaveLength(2);
    expect(rows[2].querySelector('.email').textContent).toBe('adele@contoso.onmicrosoft.com');
    // Times read relative, with the exact time in the title; no activity says so.
    const time = rows[0].querySelector('.last-activity span');
    expect(time.title).toMatch(/2026/);
    expect(rows[0].querySelector('lightning-relative-date-time').value).toBe(
      Date.parse(MAPPINGS[0].lastActivity),
    );
    expect(rows[1].querySelector('.last-activity').textContent).toBe('c.TB_Never');
  });

  it('marks an unmapped user with a badge and offers "Map user"; a mapped one offers "Change user"', async () => {
    const element = await createLoaded();
    const rows = [...element.shadowRoot.querySelectorAll('table.mappings tbody tr')];
    expect(rows[0].querySelector('.salesforce-user').textContent).toBe('Adele Vance');
    expect(rows[0].querySelector('.status').textContent).toBe('c.TB_StatusAuto');
    expect(rows[0].querySelector('lightning-button.edit').label).toBe('c.TB_ChangeUser');
    const badge = rows[1].querySelector('.salesforce-user .slds-badge');
    expect(badge.textContent).toBe('c.TB_StatusUnmapped');
    expect(rows[1].querySelector('lightning-button.edit').label).toBe('c.TB_MapUser');
    expect(rows[1].querySelector('lightning-button.edit').variant).toBe('brand');
  });

  it('says so when nothing matches, and why when loading fails, with "Try again"', async () => {
    const element = create();
    getUserMappings.emit([]);
    await flushPromises();
    expect($(element, '.no-mappings').textContent).toBe('c.TB_NoMappings');
    expect($(element, 'table')).toBeNull();

    getUserMappings.error({ message: 'You need the Teams Bridge Admin permission set.' });
    await flushPromises();
    const panel = $(element, 'c-teams-error-panel');
    expect(panel.friendlyMessage).toBe('c.TB_MappingsLoadError');
    expect(panel.errors.body.message).toBe('You need the Teams Bridge Admin permission set.');
    expect($(element, '.no-mappings')).toBeNull();
    expect(panel.showRetry).toBe(true);
    panel.dispatchEvent(new CustomEvent('retry'));
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('searches after the user stops typing', async () => {
    jest.useFakeTimers();
    const element = await createLoaded();
    const search = $(element, 'lightning-input.search');
    search.dispatchEvent(new CustomEvent('change', { detail: { value: 'ad' } }));
    search.dispatchEvent(new CustomEvent('change', { detail: { value: ' adele ' } }));
    await flushPromises();
    expect(getUserMappings.getLastConfig().searchTerm).toBe('');
    jest.advanceTimersByTime(300);
    await flushPromises();
    expect(getUserMappings.getLastConfig()).toEqual({ searchTerm: 'adele', status: '' });
  });

  it('filters by status, and the unmapped queue button filters to Unmapped', async () => {
    const element = await createLoaded();
    const status = $(element, 'lightning-combobox.status');
    expect(status.options.map((option) => option.value)).toEqual(['', 'Auto', 'Manual', 'Unmapped']);
    status.dispatchEvent(new CustomEvent('change', { detail: { value: 'Manual' } }));
    await flushPromises();
    expect(getUserMappings.getLastConfig().status).toBe('Manual');

    $(element, 'lightning-button.show-unmapped').click();
    await flushPromises();
    expect(getUserMappings.getLastConfig().status).toBe('Unmapped');
    expect(status.value).toBe('Unmapped');
  });

  it('changes the Salesforce user of a mapping with a record picker limited to active users', async () => {
    const element = await createLoaded();
    toast = jest.fn();
    element.addEventListener(TOAST, toast);
    await editRow(element, MAPPINGS[1]);

    // The editor opens in place: in the row right under the mapping, not above the table.
    const mappingRow = $(element, `tr[data-id="${MAPPINGS[1].id}"]`);
    const editRowElement = mappingRow.nextElementSibling;
    expect(editRowElement.classList).toContain('edit-row');
    expect(editRowElement.querySelector('section.edit-panel')).not.toBeNull();
    expect(mappingRow.querySelector('lightning-button.edit').ariaExpanded).toBe('true');
    const picker = $(element, 'lightning-record-picker.user-picker');
    expect(picker.label).toBe('c.TB_EditMappingTitle');
    // Nothing to clear on an unmapped user.
    expect($(element, 'lightning-button.clear')).toBeNull();
    expect(picker.objectApiName).toBe('User');
    expect(picker.filter).toEqual({ criteria: [{ fieldPath: 'IsActive', operator: 'eq', value: true }] });
    expect($(element, 'lightning-button.save').disabled).toBe(true);
    await expect(element).toBeAccessible();

    picker.dispatchEvent(new CustomEvent('change', { detail: { recordId: '005000000000002AAA' } }));
    await flushPromises();
    updateMapping.mockResolvedValue({ ...MAPPINGS[1], userId: '005000000000002AAA', status: 'Manual' });
    $(element, 'lightning-button.save').click();
    await flushPromises();

    expect(updateMapping).toHaveBeenCalledWith({ mappingId: MAPPINGS[1].id, userId: '005000000000002AAA' });
    expect(toast.mock.calls[0][0].detail).toMatchObject({ title: 'c.TB_MappingSaved', variant: 'success' });
    expect(refreshApex).toHaveBeenCalled();
    expect($(element, 'section.edit-panel')).toBeNull();
  });

  it('clears a mapping (user set to null)', async () => {
    const element = await createLoaded();
    await editRow(element, MAPPINGS[0]);
    expect($(element, 'lightning-record-picker').value).toBe(MAPPINGS[0].userId);
    updateMapping.mockResolvedValue({ ...MAPPINGS[0], userId: null, status: 'Unmapped' });
    $(element, 'lightning-button.clear').click();
    await flushPromises();
    expect(updateMapping).toHaveBeenCalledWith({ mappingId: MAPPINGS[0].id, userId: null });
  });

  it('keeps the editor open and toasts the reason when saving fails', async () => {
    const element = await createLoaded();
    toast = jest.fn();
    element.addEventListener(TOAST, toast);
    await editRow(element, MAPPINGS[0]);
    updateMapping.mockRejectedValue({ body: { message: 'That user is inactive.' } });
    $(element, 'lightning-button.save').click();
    await flushPromises();
    expect(toast.mock.calls[0][0].detail).toEqual({
      title: 'c.TB_ActionFailed',
      message: 'That user is inactive.',
      variant: 'error',
    });
    expect($(element, 'section.edit-panel')).not.toBeNull();
  });

  it('closes the editor on Cancel or a second click, and edits one mapping at a time', async () => {
    const element = await createLoaded();
    await editRow(element, MAPPINGS[0]);
    await editRow(element, MAPPINGS[0]);
    expect($(element, 'section.edit-panel')).toBeNull();
    await editRow(element, MAPPINGS[1]);
    await editRow(element, MAPPINGS[0]);
    expect(element.shadowRoot.querySelectorAll('section.edit-panel')).toHaveLength(1);
    expect($(element, `tr[data-id="${MAPPINGS[0].id}"]`).nextElementSibling.classList).toContain('edit-row');
    $(element, 'lightning-record-picker').dispatchEvent(new CustomEvent('change', { detail: {} }));
    await flushPromises();
    expect($(element, 'lightning-button.save').disabled).toBe(true);
    $(element, 'lightning-button.cancel').click();
    await flushPromises();
    expect($(element, 'section.edit-panel')).toBeNull();
  });

  it('auto-matches in bulk and shows the matched and unmatched counts', async () => {
    const element = await createLoaded();
    toast = jest.fn();
    element.addEventListener(TOAST, toast);
    autoMatchMappings.mockResolvedValue({ matched: 12, unmatched: 3 });
    $(element, 'lightning-button.auto-match').click();
    await flushPromises();
    expect(autoMatchMappings).toHaveBeenCalledTimes(1);
    expect($(element, '.auto-match-summary').textContent).toBe('12 matched, 3 still unmapped.');
    expect(toast.mock.calls[0][0].detail).toMatchObject({ title: 'c.TB_AutoMatchDone', variant: 'success' });
    expect(refreshApex).toHaveBeenCalled();
    expect($(element, 'lightning-button.auto-match').disabled).toBe(false);
  });

  it('toasts the reason when auto-match fails', async () => {
    const element = await createLoaded();
    toast = jest.fn();
    element.addEventListener(TOAST, toast);
    autoMatchMappings.mockRejectedValue({ body: { message: 'Too many users; run it again.' } });
    $(element, 'lightning-button.auto-match').click();
    await flushPromises();
    expect(toast.mock.calls[0][0].detail.message).toBe('Too many users; run it again.');
    expect($(element, '.auto-match-summary').textContent).toBe('');
  });
});
