import { createElement } from 'lwc';
import TeamsAdminCard from 'c/teamsAdminCard';

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

function create(props) {
  const element = createElement('c-teams-admin-card', { is: TeamsAdminCard });
  Object.assign(element, { description: 'Rules that turn messages into Tasks.', ...props });
  document.body.appendChild(element);
  return element;
}

describe('c-teams-admin-card', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('shows the description and a refresh button that fires refresh', async () => {
    const element = create({ refreshable: true });
    expect($(element, '.description').textContent).toBe('Rules that turn messages into Tasks.');
    const refresh = jest.fn();
    element.addEventListener('refresh', refresh);
    const button = $(element, 'lightning-button-icon.refresh');
    expect(button.alternativeText).toBe('c.TB_Refresh');
    button.click();
    expect(refresh).toHaveBeenCalledTimes(1);
    expect($(element, 'slot[name="actions"]')).not.toBeNull();
    expect($(element, 'slot:not([name])')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows a spinner while loading and turns refresh off meanwhile', async () => {
    const element = create({ refreshable: true, loading: true, empty: true, emptyMessage: 'Nothing' });
    expect($(element, '.loading lightning-spinner').alternativeText).toBe('c.TB_Loading');
    expect($(element, 'lightning-button-icon.refresh').disabled).toBe(true);
    expect($(element, '.empty')).toBeNull();
  });

  it('says what failed, with "Try again" firing refresh', async () => {
    const element = create({
      refreshable: true,
      errors: { body: { message: 'Insufficient access' } },
      errorMessage: "We couldn't load the rules.",
      empty: true,
      emptyMessage: 'No rules yet.',
    });
    const panel = $(element, 'c-teams-error-panel');
    expect(panel.friendlyMessage).toBe("We couldn't load the rules.");
    expect(panel.errors.body.message).toBe('Insufficient access');
    expect(panel.showRetry).toBe(true);
    const refresh = jest.fn();
    element.addEventListener('refresh', refresh);
    panel.dispatchEvent(new CustomEvent('retry'));
    expect(refresh).toHaveBeenCalledTimes(1);
    // An error is not "nothing there".
    expect($(element, '.empty')).toBeNull();
  });

  it('says when there is nothing, and has no refresh unless asked', async () => {
    const element = create({ empty: true, emptyMessage: 'No rules yet.' });
    expect($(element, '.empty').textContent).toBe('No rules yet.');
    expect($(element, 'lightning-button-icon.refresh')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
