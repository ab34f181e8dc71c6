import { createElement } from 'lwc';
import TeamsDatatable, { badgeClass } from 'c/teamsDatatable';

describe('c-teams-datatable', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('adds the badge, relative time and long text cell types', () => {
    const { badge, relativeTime, longText } = TeamsDatatable.customTypes;
    expect(badge).toMatchObject({ standardCellLayout: true, typeAttributes: ['badgeClass'] });
    expect(relativeTime).toMatchObject({ standardCellLayout: true, typeAttributes: ['exact', 'emptyLabel'] });
    expect(longText).toMatchObject({ standardCellLayout: true, typeAttributes: ['length'] });
    [badge, relativeTime, longText].forEach((type) => expect(typeof type.template).toBe('function'));
  });

  it('is a datatable', () => {
    const element = createElement('c-teams-datatable', { is: TeamsDatatable });
    element.keyField = 'id';
    element.data = [{ id: '1' }];
    document.body.appendChild(element);
    expect(element.data).toEqual([{ id: '1' }]);
  });

  it('themes badges with the SLDS classes', () => {
    expect(badgeClass('success')).toBe('slds-badge slds-theme_success');
    expect(badgeClass('warning')).toBe('slds-badge slds-theme_warning');
    expect(badgeClass('error')).toBe('slds-badge slds-theme_error');
    expect(badgeClass(undefined)).toBe('slds-badge');
  });
});
