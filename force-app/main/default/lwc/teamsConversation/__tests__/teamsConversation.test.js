import { createElement } from 'lwc';
import TeamsConversation from 'c/teamsConversation';
import getChannelLink from '@salesforce/apex/TeamsConversationController.getChannelLink';
import getConversation from '@salesforce/apex/TeamsConversationController.getConversation';
import { refreshApex } from '@salesforce/apex';

const LINK = require('./data/channelLink.json');
const PAGE_1 = require('./data/conversationPage1.json');
const PAGE_2 = require('./data/conversationPage2.json');
const FRESH = require('./data/conversationFresh.json');

jest.mock(
  '@salesforce/apex/TeamsConversationController.getChannelLink',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock('@salesforce/apex/TeamsConversationController.getConversation', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsConversationController.postReply', () => ({ default: jest.fn() }), {
  virtual: true,
});
// Real label text where the test checks the filled-in placeholders.
jest.mock('@salesforce/label/c.TB_ChannelSummary', () => ({ default: '{0} in {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.TB_NewMessagesOne', () => ({ default: '{0} new message' }), { virtual: true });
jest.mock('@salesforce/label/c.TB_NewMessagesOther', () => ({ default: '{0} new messages' }), {
  virtual: true,
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });
// The channel picker has its own tests; here it only has to render.
jest.mock(
  '@salesforce/apex/TeamsChannelLinkController.listTeams',
  () => ({ default: jest.fn(() => Promise.resolve([])) }),
  {
    virtual: true,
  },
);

const RECORD_ID = '006000000000001AAA';

// Settles Apex promises and re-renders without relying on (possibly faked) timers.
async function flushPromises() {
  for (let i = 0; i < 10; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

function create(props = {}) {
  const element = createElement('c-teams-conversation', { is: TeamsConversation });
  Object.assign(element, {
    recordId: RECORD_ID,
    objectApiName: 'Opportunity',
    pollIntervalSeconds: 0,
    ...props,
  });
  document.body.appendChild(element);
  return element;
}

async function createLinked(props) {
  getConversation.mockResolvedValueOnce(PAGE_1);
  const element = create(props);
  getChannelLink.emit(LINK);
  await flushPromises();
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

function setVisibility(state) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
}

describe('c-teams-conversation', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.resetAllMocks();
    jest.useRealTimers();
    setVisibility('visible');
  });

  it('shows a spinner until it knows the linked channel', async () => {
    const element = create();
    await flushPromises();
    expect($(element, '.loading-link lightning-spinner')).not.toBeNull();
    expect(getChannelLink.getLastConfig()).toEqual({ recordId: RECORD_ID });
  });

  it('asks for a record on an App Page without a record id, instead of loading forever', async () => {
    const element = create({ recordId: undefined });
    await flushPromises();
    expect($(element, '.no-record').textContent).toBe('c.TB_NoRecord');
    expect($(element, '.loading-link')).toBeNull();
    await expect(element).toBeAccessible();
  });

  describe('without a linked channel', () => {
    it('offers to link one and loads no conversation', async () => {
      const element = create();
      getChannelLink.emit(null);
      await flushPromises();

      expect($(element, '.loading-link')).toBeNull();
      expect($(element, '.empty-state p').textContent).toBe('c.TB_NotLinked');
      const picker = $(element, '.empty-state c-teams-channel-link');
      expect(picker.recordId).toBe(RECORD_ID);
      expect(picker.objectApiName).toBe('Opportunity');
      expect($(element, 'a.open-in-teams')).toBeNull();
      expect(getConversation).not.toHaveBeenCalled();
      await expect(element).toBeAccessible();
    });

    it('treats an unlinked link as no link', async () => {
      const element = create();
      getChannelLink.emit({ ...LINK, status: 'Unlinked' });
      await flushPromises();
      expect($(element, '.empty-state')).not.toBeNull();
      expect(getConversation).not.toHaveBeenCalled();
    });

    it('loads the conversation as soon as a channel is linked', async () => {
      const element = create();
      getChannelLink.emit(null);
      await flushPromises();

      getConversation.mockResolvedValueOnce(PAGE_1);
      $(element, 'c-teams-channel-link').dispatchEvent(
        new CustomEvent('linkchange', { detail: { link: LINK } }),
      );
      await flushPromises();

      expect(refreshApex).toHaveBeenCalled();
      expect($(element, '.empty-state')).toBeNull();
      expect($(element, '.channel-summary').textContent).toBe('Deal - Acme Renewal in Contoso Sales');
      expect($$(element, 'c-teams-message')).toHaveLength(2);
    });
  });

  it('says why when the link cannot be read', async () => {
    const element = create();
    getChannelLink.error({ message: 'You need the Teams Bridge User permission set.' });
    await flushPromises();
    const panel = $(element, 'c-teams-error-panel.link-error');
    expect(panel.friendlyMessage).toBe('c.TB_LinkLoadError');
    expect(panel.errors.body.message).toBe('You need the Teams Bridge User permission set.');
    expect($(element, '.empty-state')).toBeNull();
  });

  describe('with a linked channel', () => {
    it('shows the channel, an Open in Teams link, the reply box and the threads', async () => {
      const element = await createLinked();

      expect(getConversation).toHaveBeenCalledWith({ recordId: RECORD_ID, pageToken: null });
      const open = $(element, 'a.open-in-teams');
      expect(open.href).toBe(LINK.webUrl);
      expect(open.target).toBe('_blank');
      expect(open.textContent).toBe('c.TB_OpenInTeams');
      expect($(element, 'c-teams-reply-box').recordId).toBe(RECORD_ID);
      const threads = $$(element, 'c-teams-message');
      // Oldest first: the newest message sits at the bottom, next to the composer, as in Teams.
      expect(threads.map((thread) => thread.message.id)).toEqual(['1732356000000', '1732359600000']);
      expect(threads[0].recordId).toBe(RECORD_ID);
      expect($(element, 'lightning-badge.paused')).toBeNull();
      expect($(element, '.loading-messages')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('shows a placeholder while the messages load', async () => {
      getConversation.mockReturnValueOnce(new Promise(() => {}));
      const element = create();
      getChannelLink.emit(LINK);
      await flushPromises();
      expect($(element, '.loading-messages lightning-spinner')).not.toBeNull();
      expect($(element, '.no-messages')).toBeNull();
      expect($(element, 'lightning-button.load-more')).toBeNull();
    });

    it('marks a paused link', async () => {
      getConversation.mockResolvedValueOnce(PAGE_1);
      const element = create();
      getChannelLink.emit({ ...LINK, status: 'Paused' });
      await flushPromises();
      expect($(element, 'lightning-badge.paused').label).toBe('c.TB_LinkPaused');
    });

    it('loads older messages with the page token until there are none', async () => {
      const element = await createLinked();
      getConversation.mockResolvedValueOnce(PAGE_2);

      $(element, 'lightning-button.load-more').click();
      await flushPromises();

      expect(getConversation).toHaveBeenLastCalledWith({ recordId: RECORD_ID, pageToken: 'page-2' });
      expect($$(element, 'c-teams-message').map((thread) => thread.message.id)).toEqual([
        '1732270000000',
        '1732356000000',
        '1732359600000',
      ]);
      expect($(element, 'lightning-button.load-more')).toBeNull();
    });

    it('says why when older messages cannot be loaded', async () => {
      const element = await createLinked();
      getConversation.mockRejectedValueOnce({ body: { message: 'Graph throttled the request; try again.' } });
      $(element, 'lightning-button.load-more').click();
      await flushPromises();
      const panel = $(element, 'c-teams-error-panel.older-error');
      expect(panel.errors.body.message).toBe('Graph throttled the request; try again.');
      expect($$(element, 'c-teams-message')).toHaveLength(2);
      // The conversation itself is fine: the composer still works, and "Try again" repeats the older page.
      expect($(element, 'c-teams-reply-box').disabled).toBe(false);
      expect(panel.showRetry).toBe(true);
      getConversation.mockResolvedValueOnce(PAGE_2);
      panel.dispatchEvent(new CustomEvent('retry'));
      await flushPromises();
      expect(getConversation).toHaveBeenLastCalledWith({ recordId: RECORD_ID, pageToken: 'page-2' });
      expect($(element, 'c-teams-error-panel.older-error')).toBeNull();
      expect($$(element, 'c-teams-message')).toHaveLength(3);
    });

    it('says why when the conversation cannot be loaded', async () => {
      getConversation.mockRejectedValueOnce({ body: { message: 'The service is not reachable.' } });
      const element = create();
      getChannelLink.emit(LINK);
      await flushPromises();
      const panel = $(element, 'c-teams-error-panel.conversation-error');
      expect(panel.friendlyMessage).toBe('c.TB_ConversationLoadError');
      expect(panel.errors.body.message).toBe('The service is not reachable.');
      expect($(element, '.no-messages')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('fails visibly: "Try again" reloads, and the composer is off until the conversation loads', async () => {
      getConversation.mockRejectedValueOnce({ body: { message: 'The service is not reachable.' } });
      const element = create();
      getChannelLink.emit(LINK);
      await flushPromises();
      const panel = $(element, 'c-teams-error-panel.conversation-error');
      expect(panel.showRetry).toBe(true);
      expect($(element, 'c-teams-reply-box').disabled).toBe(true);

      getConversation.mockResolvedValueOnce(PAGE_1);
      panel.dispatchEvent(new CustomEvent('retry'));
      await flushPromises();
      expect(getConversation).toHaveBeenCalledTimes(2);
      expect($(element, 'c-teams-error-panel.conversation-error')).toBeNull();
      expect($(element, 'c-teams-reply-box').disabled).toBe(false);
      expect($$(element, 'c-teams-message')).toHaveLength(2);
    });

    it('offers "Try again" when the link cannot be read', async () => {
      const element = create();
      getChannelLink.error({ body: { message: 'Insufficient access' } });
      await flushPromises();
      const panel = $(element, 'c-teams-error-panel.link-error');
      expect(panel.showRetry).toBe(true);
      panel.dispatchEvent(new CustomEvent('retry'));
      await flushPromises();
      expect(refreshApex).toHaveBeenCalledTimes(1);
    });

    it('says so when the channel has no messages', async () => {
      getConversation.mockResolvedValueOnce({ messages: [], nextPageToken: null });
      const element = create();
      getChannelLink.emit(LINK);
      await flushPromises();
      expect($(element, '.no-messages').textContent).toBe('c.TB_NoMessages');
      expect($(element, 'ul.messages')).toBeNull();
    });

    it('shows a new post at the top and a reply inside its thread', async () => {
      const element = await createLinked();
      const post = {
        id: 'new-post',
        author: 'Me',
        createdDateTime: '2026-11-23T12:00:00Z',
        text: 'Hi',
        replies: [],
      };
      $(element, 'c-teams-reply-box').dispatchEvent(
        new CustomEvent('replysent', { detail: { message: post, parentId: null } }),
      );
      await flushPromises();
      let threads = $$(element, 'c-teams-message');
      expect(threads.map((thread) => thread.message.id)).toEqual([
        '1732356000000',
        '1732359600000',
        'new-post',
      ]);

      const reply = {
        id: 'new-reply',
        author: 'Me',
        createdDateTime: '2026-11-23T12:00:00Z',
        text: 'Ok',
        replies: [],
      };
      threads[2].dispatchEvent(
        new CustomEvent('replysent', { detail: { message: reply, parentId: '1732356000000' } }),
      );
      await flushPromises();
      threads = $$(element, 'c-teams-message');
      expect(threads[0].message.replies.map((r) => r.id)).toEqual(['1732357800000', 'new-reply']);
      expect(threads[1].message.replies).toEqual([]);

      // A replysent without a message changes nothing.
      threads[0].dispatchEvent(new CustomEvent('replysent', { detail: {} }));
      await flushPromises();
      expect($$(element, 'c-teams-message')).toHaveLength(3);
    });

    it('refreshes the link and the first page on Refresh', async () => {
      const element = await createLinked();
      getConversation.mockResolvedValueOnce(FRESH);
      $(element, 'lightning-button-icon.refresh').click();
      await flushPromises();
      expect(refreshApex).toHaveBeenCalledTimes(1);
      expect(getConversation).toHaveBeenCalledTimes(2);
      expect($$(element, 'c-teams-message').map((thread) => thread.message.id)).toEqual([
        '1732359600000',
        '1732362000000',
      ]);
    });

    it('opens the channel settings with the current link, and closes them after a change', async () => {
      const element = await createLinked();
      const manage = $(element, 'lightning-button.manage-link');
      expect(manage.label).toBe('c.TB_ChangeChannel');
      manage.click();
      await flushPromises();
      const picker = $(element, '.slds-box c-teams-channel-link');
      expect(picker.link).toEqual(LINK);
      expect(manage.label).toBe('c.TB_Done');

      // Unlinked: back to the empty state.
      picker.dispatchEvent(new CustomEvent('linkchange', { detail: { link: null } }));
      await flushPromises();
      expect($(element, '.empty-state')).not.toBeNull();
      expect($(element, 'c-teams-message')).toBeNull();
    });

    it('does not reload the conversation when the wire re-sends the same channel', async () => {
      const element = await createLinked();
      getChannelLink.emit({ ...LINK });
      await flushPromises();
      expect(getConversation).toHaveBeenCalledTimes(1);
      expect($$(element, 'c-teams-message')).toHaveLength(2);
    });
  });

  describe('the message region', () => {
    // jsdom has no layout: give the scroller a fixed viewport and a content height the test controls.
    let contentHeight;
    const VIEWPORT = 384;
    beforeEach(() => {
      contentHeight = 1000;
      Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
        configurable: true,
        get: () => contentHeight,
      });
      Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
        configurable: true,
        get: () => VIEWPORT,
      });
    });
    afterEach(() => {
      delete HTMLElement.prototype.scrollHeight;
      delete HTMLElement.prototype.clientHeight;
    });

    it('is a bounded, keyboard-scrollable region, with the composer below it and outside it', async () => {
      const element = await createLinked();
      const scroller = $(element, '.message-scroller');
      expect(scroller.classList).toContain('slds-scrollable_y');
      expect(scroller.getAttribute('tabindex')).toBe('0');
      expect(scroller.getAttribute('role')).toBe('region');
      expect(scroller.getAttribute('aria-label')).toBe('c.TB_Messages');
      expect(scroller.querySelector('ul.messages')).not.toBeNull();
      expect(scroller.querySelector('lightning-button.load-more')).not.toBeNull();
      const composer = $(element, 'c-teams-reply-box');
      expect(scroller.contains(composer)).toBe(false);
      expect(scroller.compareDocumentPosition(composer) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
      await expect(element).toBeAccessible();
    });

    it('opens on the newest message, at the bottom', async () => {
      const element = await createLinked();
      expect($(element, '.message-scroller').scrollTop).toBe(contentHeight - VIEWPORT);
    });

    it('keeps the message being read in place when older ones load above it', async () => {
      const element = await createLinked();
      const scroller = $(element, '.message-scroller');
      scroller.scrollTop = 0; // the user scrolled up to "Load older"
      getConversation.mockResolvedValueOnce(PAGE_2);
      scroller.querySelector('lightning-button.load-more').click();
      contentHeight = 1600; // the older page adds 600 px above
      await flushPromises();
      expect(scroller.scrollTop).toBe(600);
    });

    it('scrolls to a post the user just sent', async () => {
      const element = await createLinked();
      const scroller = $(element, '.message-scroller');
      scroller.scrollTop = 10;
      contentHeight = 1200;
      $(element, 'c-teams-reply-box').dispatchEvent(
        new CustomEvent('replysent', {
          detail: { message: { id: 'p', author: 'Me', text: 'Hi', replies: [] }, parentId: null },
        }),
      );
      await flushPromises();
      expect(scroller.scrollTop).toBe(1200 - VIEWPORT);
    });

    it('follows live updates only while the user reads the newest messages', async () => {
      jest.useFakeTimers();
      const element = await createLinked({ pollIntervalSeconds: 30 });
      const scroller = $(element, '.message-scroller');
      scroller.scrollTop = 100; // reading older messages
      getConversation.mockResolvedValueOnce(FRESH);
      contentHeight = 1200;
      jest.advanceTimersByTime(30000);
      await flushPromises();
      expect(scroller.scrollTop).toBe(100);

      scroller.scrollTop = 1200 - VIEWPORT; // back at the bottom
      getConversation.mockResolvedValueOnce({
        ...FRESH,
        messages: [{ id: 'newest', author: 'Lee Gu', text: 'Hi', replies: [] }, ...FRESH.messages],
      });
      jest.advanceTimersByTime(30000); // the poll starts: the region is measured before the page arrives
      contentHeight = 1400;
      await flushPromises();
      expect(scroller.scrollTop).toBe(1400 - VIEWPORT);
    });
  });

  describe('live updates', () => {
    beforeEach(() => {
      jest.useFakeTimers();
    });

    it('polls the first page on the interval and merges new messages on top', async () => {
      const element = await createLinked({ pollIntervalSeconds: 30 });
      getConversation.mockResolvedValueOnce(PAGE_2);
      $(element, 'lightning-button.load-more').click();
      await flushPromises();

      getConversation.mockResolvedValueOnce(FRESH);
      jest.advanceTimersByTime(30000);
      await flushPromises();

      expect(getConversation).toHaveBeenLastCalledWith({ recordId: RECORD_ID, pageToken: null });
      expect($$(element, 'c-teams-message').map((thread) => thread.message.id)).toEqual([
        '1732270000000',
        '1732356000000',
        '1732359600000',
        '1732362000000',
      ]);
      expect($(element, '.new-messages').textContent).toBe('1 new message');
      // The older pages already loaded are kept: no load-more offered again.
      expect($(element, 'lightning-button.load-more')).toBeNull();
    });

    it('keeps the next page token of the first poll when nothing older was loaded yet', async () => {
      getConversation.mockResolvedValueOnce({ messages: [], nextPageToken: undefined });
      const element = create({ pollIntervalSeconds: 30 });
      getChannelLink.emit(LINK);
      await flushPromises();
      getConversation.mockResolvedValueOnce(FRESH);
      jest.advanceTimersByTime(30000);
      await flushPromises();
      expect($(element, 'lightning-button.load-more')).not.toBeNull();
      expect($(element, '.new-messages').textContent).toBe('2 new messages');
      getConversation.mockResolvedValueOnce(FRESH);
      jest.advanceTimersByTime(30000);
      await flushPromises();
      expect($(element, '.new-messages').textContent).toBe('');
    });

    it('does not poll while the tab is hidden, and catches up when it is shown again', async () => {
      const element = await createLinked({ pollIntervalSeconds: 30 });
      setVisibility('hidden');
      jest.advanceTimersByTime(90000);
      await flushPromises();
      expect(getConversation).toHaveBeenCalledTimes(1);

      getConversation.mockResolvedValueOnce(FRESH);
      setVisibility('visible');
      document.dispatchEvent(new CustomEvent('visibilitychange'));
      await flushPromises();
      expect(getConversation).toHaveBeenCalledTimes(2);
      expect($$(element, 'c-teams-message').at(-1).message.id).toBe('1732362000000');
    });

    it('says live updates are paused when a poll fails, and clears it on the next success', async () => {
      const element = await createLinked({ pollIntervalSeconds: 30 });
      getConversation.mockRejectedValueOnce({ body: { message: 'Service unavailable' } });
      jest.advanceTimersByTime(30000);
      await flushPromises();
      expect($(element, '.live-update-error').textContent.trim()).toBe('c.TB_LiveUpdatesPaused');
      expect($$(element, 'c-teams-message')).toHaveLength(2);

      getConversation.mockResolvedValueOnce(PAGE_1);
      jest.advanceTimersByTime(30000);
      await flushPromises();
      expect($(element, '.live-update-error')).toBeNull();
    });

    it('never overlaps polls when the service is slow', async () => {
      await createLinked({ pollIntervalSeconds: 30 });
      getConversation.mockReturnValueOnce(new Promise(() => {}));
      jest.advanceTimersByTime(30000);
      await flushPromises();
      jest.advanceTimersByTime(60000);
      await flushPromises();
      expect(getConversation).toHaveBeenCalledTimes(2);
    });

    it('does not poll without a linked channel', async () => {
      create({ pollIntervalSeconds: 30 });
      getChannelLink.emit(null);
      await flushPromises();
      jest.advanceTimersByTime(60000);
      await flushPromises();
      expect(getConversation).not.toHaveBeenCalled();
    });

    it('stops polling when removed from the page', async () => {
      const element = await createLinked({ pollIntervalSeconds: 30 });
      document.body.removeChild(element);
      jest.advanceTimersByTime(120000);
      document.dispatchEvent(new CustomEvent('visibilitychange'));
      await flushPromises();
      expect(getConversation).toHaveBeenCalledTimes(1);
    });

    it('does not poll when live updates are turned off', async () => {
      await createLinked({ pollIntervalSeconds: 0 });
      jest.advanceTimersByTime(120000);
      await flushPromises();
      expect(getConversation).toHaveBeenCalledTimes(1);
    });
  });
});
