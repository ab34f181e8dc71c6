import { createElement } from 'lwc';
import TeamsMessage from 'c/teamsMessage';

const THREAD = require('./data/thread.json');

jest.mock('@salesforce/apex/TeamsConversationController.postReply', () => ({ default: jest.fn() }), {
  virtual: true,
});

const NOW = Date.parse('2026-11-23T12:00:00Z');
const RECORD_ID = '006000000000001AAA';

function create(message = THREAD) {
  const element = createElement('c-teams-message', { is: TeamsMessage });
  Object.assign(element, { message, recordId: RECORD_ID, now: NOW });
  document.body.appendChild(element);
  return element;
}

describe('c-teams-message', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('shows author, relative time with the full time as title, text with links, and the Teams link', () => {
    const element = create();
    const root = element.shadowRoot;
    expect(root.querySelector('.author').textContent).toBe('Adele Vance');
    const time = root.querySelector('time');
    expect(time.textContent).toBe('2 hours ago');
    expect(time.getAttribute('datetime')).toBe('2026-11-23T10:00:00Z');
    expect(time.title).toMatch(/2026/);
    expect(root.querySelector('lightning-avatar').initials).toBe('AV');

    const link = root.querySelector('.text a');
    expect(link.href).toBe('https://contoso.sharepoint.com/sites/deals/pricing.xlsx');
    expect(link.target).toBe('_blank');
    expect(link.rel).toBe('noopener noreferrer');
    expect(root.querySelector('.text').textContent).toContain('Customer asked for a pricing exception.');
    expect(root.querySelector('a.view-in-teams').href).toBe(THREAD.webUrl);
  });

  it('keeps replies collapsed until asked, and says so with aria-expanded', async () => {
    const element = create();
    const toggle = element.shadowRoot.querySelector('button.toggle-replies');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.textContent).toContain('c.TB_ShowReplies');
    expect(toggle.hasAttribute('aria-controls')).toBe(false);
    expect(element.shadowRoot.querySelector('ul.replies')).toBeNull();

    toggle.click();
    await Promise.resolve();

    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.getAttribute('aria-controls')).toBe(element.shadowRoot.querySelector('ul.replies').id);
    const replies = element.shadowRoot.querySelectorAll('li.reply-item');
    expect(replies).toHaveLength(2);
    expect(replies[0].querySelector('.author').textContent).toBe('Megan Bowen');
    expect(replies[0].querySelector('time').textContent).toBe('1 hour ago');
    // A reply without an author shows the "unknown sender" label.
    expect(replies[1].querySelector('.author').textContent).toBe('c.TB_UnknownSender');
    // ...and the person icon, not initials made of that label ("UN"/"US" reads as a person or a country).
    const unknownAvatar = replies[1].querySelector('lightning-avatar');
    expect(unknownAvatar.initials).toBeUndefined();
    expect(unknownAvatar.fallbackIconName).toBe('standard:user');
    expect(unknownAvatar.alternativeText).toBe('c.TB_UnknownSender');
    expect(replies[0].querySelector('lightning-avatar').initials).toBe('MB');
    await expect(element).toBeAccessible();

    toggle.click();
    await Promise.resolve();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(element.shadowRoot.querySelector('ul.replies')).toBeNull();
  });

  it('offers no replies toggle and no Teams link when there are none', () => {
    const element = create({ ...THREAD, replies: undefined, webUrl: null });
    expect(element.shadowRoot.querySelector('button.toggle-replies')).toBeNull();
    expect(element.shadowRoot.querySelector('a.view-in-teams')).toBeNull();
  });

  it('opens a reply box for this thread, and re-fires replysent with the replies opened', async () => {
    const element = create();
    const sent = jest.fn();
    element.addEventListener('replysent', sent);

    const replyButton = element.shadowRoot.querySelector('button.reply');
    replyButton.click();
    await Promise.resolve();
    const box = element.shadowRoot.querySelector('c-teams-reply-box');
    expect(box.messageId).toBe(THREAD.id);
    expect(box.recordId).toBe(RECORD_ID);
    expect(replyButton.textContent.trim()).toBe('c.TB_CancelReply');

    const detail = { message: { id: 'new', text: 'Thanks' }, parentId: THREAD.id };
    box.dispatchEvent(new CustomEvent('replysent', { detail }));
    await Promise.resolve();

    expect(sent).toHaveBeenCalledTimes(1);
    expect(sent.mock.calls[0][0].detail).toEqual(detail);
    expect(element.shadowRoot.querySelector('c-teams-reply-box')).toBeNull();
    expect(element.shadowRoot.querySelector('button.toggle-replies').getAttribute('aria-expanded')).toBe(
      'true',
    );
  });

  it('puts the cursor in the reply box it opens, which may sit below the visible part of the list', async () => {
    const focus = jest.spyOn(HTMLElement.prototype, 'focus');
    const element = create();
    element.shadowRoot.querySelector('button.reply').click();
    await Promise.resolve();
    const box = element.shadowRoot.querySelector('c-teams-reply-box');
    const textarea = box.shadowRoot.querySelector('lightning-textarea');
    expect(focus.mock.contexts).toContain(textarea);
    focus.mockRestore();
  });

  it('closes the reply box on Cancel reply', async () => {
    const element = create();
    const replyButton = element.shadowRoot.querySelector('button.reply');
    replyButton.click();
    await Promise.resolve();
    replyButton.click();
    await Promise.resolve();
    expect(element.shadowRoot.querySelector('c-teams-reply-box')).toBeNull();
  });

  it('is accessible', async () => {
    const element = create();
    await expect(element).toBeAccessible();
  });
});
