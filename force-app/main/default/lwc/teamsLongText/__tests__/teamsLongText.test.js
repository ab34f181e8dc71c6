import { createElement } from 'lwc';
import TeamsLongText from 'c/teamsLongText';

const LONG =
  '403 Forbidden: the app lost ChannelMessage.Read.All consent when the tenant admin revoked it on Monday; ' +
  'grant it again in Entra ID.';
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

function create(props) {
  const element = createElement('c-teams-long-text', { is: TeamsLongText });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-teams-long-text', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('shows the first words of a long text and the whole text on demand', async () => {
    const element = create({ text: LONG, length: 40 });
    const summary = $(element, '.summary').textContent;
    expect(summary.length).toBeLessThanOrEqual(40);
    expect(summary.endsWith('…')).toBe(true);
    expect(LONG.startsWith(summary.slice(0, -1))).toBe(true);
    const toggle = $(element, 'button.toggle');
    expect(toggle.textContent.trim()).toBe('c.TB_ShowDetails');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.hasAttribute('aria-controls')).toBe(false);
    await expect(element).toBeAccessible();

    toggle.click();
    await Promise.resolve();
    expect($(element, '.full').textContent).toBe(LONG);
    expect($(element, '.summary')).toBeNull();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.getAttribute('aria-controls')).toBe($(element, '.full').id);
    expect(toggle.textContent.trim()).toBe('c.TB_HideDetails');
    await expect(element).toBeAccessible();
  });

  it('shows a short text whole, without a button', () => {
    const element = create({ text: 'Timeout' });
    expect($(element, '.summary').textContent).toBe('Timeout');
    expect($(element, 'button')).toBeNull();
  });

  it('renders nothing without a text', () => {
    const element = create({ text: null });
    expect($(element, '.long-text')).toBeNull();
  });
});
