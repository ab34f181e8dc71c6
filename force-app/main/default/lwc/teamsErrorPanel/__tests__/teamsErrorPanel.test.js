import { createElement } from 'lwc';
import TeamsErrorPanel from 'c/teamsErrorPanel';

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

function create(props) {
  const element = createElement('c-teams-error-panel', { is: TeamsErrorPanel });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-teams-error-panel', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('is the SLDS error alert, with one reason as a sentence rather than a one-item list', async () => {
    const element = create({
      friendlyMessage: "We couldn't load the conversation.",
      errors: { body: { message: 'The service is unreachable.' } },
    });
    const alert = $(element, '[role="alert"]');
    expect([...alert.classList]).toEqual(expect.arrayContaining(['slds-notify_alert', 'slds-alert_error']));
    expect($(element, '.heading').textContent).toBe("We couldn't load the conversation.");
    expect($(element, 'p.message').textContent).toBe('The service is unreachable.');
    expect($(element, 'ul')).toBeNull();
    expect($(element, '.slds-assistive-text').textContent).toBe('c.TB_ErrorIcon');
    await expect(element).toBeAccessible();
  });

  it('lists several reasons', async () => {
    const element = create({
      errors: [{ body: { message: 'The service is unreachable.' } }, new Error('Timeout')],
    });
    const messages = [...element.shadowRoot.querySelectorAll('li.message')].map((li) => li.textContent);
    expect(messages).toEqual(['The service is unreachable.', 'Timeout']);
    await expect(element).toBeAccessible();
  });

  it('shows the default heading and no reason when there is none', () => {
    const element = create({ errors: undefined });
    expect($(element, '.heading').textContent).toBe('c.TB_ErrorHeading');
    expect($(element, '.message')).toBeNull();
  });

  it('offers "Try again" only when asked, and fires retry', async () => {
    const element = create({ errors: new Error('Timeout') });
    expect($(element, 'button.retry')).toBeNull();
    element.showRetry = true;
    await Promise.resolve();
    const retry = jest.fn();
    element.addEventListener('retry', retry);
    $(element, 'button.retry').click();
    expect($(element, 'button.retry').textContent).toBe('c.TB_TryAgain');
    expect(retry).toHaveBeenCalledTimes(1);
    await expect(element).toBeAccessible();
  });
});
