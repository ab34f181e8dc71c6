import { createElement } from 'lwc';
import TeamsErrorPanel from 'c/teamsErrorPanel';

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

  it('shows the heading and every message of the errors', async () => {
    const element = create({
      friendlyMessage: "We couldn't load the conversation.",
      errors: [{ body: { message: 'The service is unreachable.' } }, new Error('Timeout')],
    });
    const heading = element.shadowRoot.querySelector('.heading');
    expect(heading.textContent).toBe("We couldn't load the conversation.");
    const messages = [...element.shadowRoot.querySelectorAll('.message')].map((li) => li.textContent);
    expect(messages).toEqual(['The service is unreachable.', 'Timeout']);
    expect(element.shadowRoot.querySelector('[role="alert"]')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows the default heading and no list when there is no message', () => {
    const element = create({ errors: undefined });
    expect(element.shadowRoot.querySelector('.heading').textContent).toBe('c.TB_ErrorHeading');
    expect(element.shadowRoot.querySelector('ul')).toBeNull();
  });
});
