import { createElement } from 'lwc';
import TeamsReplyBox from 'c/teamsReplyBox';
import postReply from '@salesforce/apex/TeamsConversationController.postReply';
// The event name of ShowToastEvent (lightning/platformShowToastEvent).
const ShowToastEventName = 'lightning__showtoast';

const POSTED = require('./data/postedMessage.json');

jest.mock('@salesforce/apex/TeamsConversationController.postReply', () => ({ default: jest.fn() }), {
  virtual: true,
});

const RECORD_ID = '006000000000001AAA';
// Lets pending Apex promises settle and the component re-render (microtasks only).
async function flushPromises() {
  for (let i = 0; i < 10; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

function create(props = {}) {
  const element = createElement('c-teams-reply-box', { is: TeamsReplyBox });
  Object.assign(element, { recordId: RECORD_ID, ...props });
  document.body.appendChild(element);
  return element;
}

async function type(element, value) {
  const textarea = element.shadowRoot.querySelector('lightning-textarea');
  textarea.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  await Promise.resolve();
}

describe('c-teams-reply-box', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.resetAllMocks();
  });

  it('labels the box as a new post without a thread, and as a reply with one', async () => {
    const element = create();
    expect(element.shadowRoot.querySelector('lightning-textarea').label).toBe('c.TB_NewPostLabel');
    element.messageId = '1732360000000';
    await Promise.resolve();
    expect(element.shadowRoot.querySelector('lightning-textarea').label).toBe('c.TB_ReplyLabel');
  });

  it('keeps Send disabled until there is text', async () => {
    const element = create();
    const send = element.shadowRoot.querySelector('lightning-button.send');
    expect(send.disabled).toBe(true);
    await type(element, '   ');
    expect(send.disabled).toBe(true);
    await type(element, 'Hello');
    expect(send.disabled).toBe(false);
  });

  it('turns the box and Send off while disabled, whatever is typed', async () => {
    const element = create();
    await type(element, 'Hello');
    element.disabled = true;
    await Promise.resolve();
    expect(element.shadowRoot.querySelector('lightning-textarea').disabled).toBe(true);
    const send = element.shadowRoot.querySelector('lightning-button.send');
    expect(send.disabled).toBe(true);
    send.click();
    await flushPromises();
    expect(postReply).not.toHaveBeenCalled();
    element.disabled = false;
    await Promise.resolve();
    expect(send.disabled).toBe(false);
  });

  it('posts a new thread, clears the box, toasts and fires replysent', async () => {
    let resolvePost;
    postReply.mockReturnValue(
      new Promise((resolve) => {
        resolvePost = resolve;
      }),
    );
    const element = create();
    const toast = jest.fn();
    const sent = jest.fn();
    element.addEventListener(ShowToastEventName, toast);
    element.addEventListener('replysent', sent);

    await type(element, '  Legal review is done, sending the redline today.  ');
    element.shadowRoot.querySelector('lightning-button.send').click();
    await Promise.resolve();

    // While sending: the box and button are disabled and the button says so.
    const send = element.shadowRoot.querySelector('lightning-button.send');
    expect(send.disabled).toBe(true);
    expect(send.label).toBe('c.TB_Sending');
    expect(element.shadowRoot.querySelector('lightning-textarea').disabled).toBe(true);
    expect(postReply).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      messageId: null,
      text: 'Legal review is done, sending the redline today.',
    });

    resolvePost(POSTED);
    await flushPromises();

    expect(toast).toHaveBeenCalledTimes(1);
    expect(toast.mock.calls[0][0].detail).toMatchObject({
      title: 'c.TB_MessageSentTitle',
      variant: 'success',
    });
    expect(sent).toHaveBeenCalledTimes(1);
    expect(sent.mock.calls[0][0].detail).toEqual({ message: POSTED, parentId: null });
    expect(element.shadowRoot.querySelector('lightning-textarea').value).toBe('');
    expect(element.shadowRoot.querySelector('lightning-button.send').label).toBe('c.TB_Send');
  });

  it('replies in the given thread', async () => {
    postReply.mockResolvedValue(POSTED);
    const element = create({ messageId: '1732360000000' });
    const sent = jest.fn();
    element.addEventListener('replysent', sent);
    await type(element, 'Thanks!');
    element.shadowRoot.querySelector('lightning-button.send').click();
    await flushPromises();
    expect(postReply).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      messageId: '1732360000000',
      text: 'Thanks!',
    });
    expect(sent.mock.calls[0][0].detail.parentId).toBe('1732360000000');
  });

  it('keeps the text and shows a sticky error toast with the reason when sending fails', async () => {
    postReply.mockRejectedValue({ body: { message: 'The linked channel was deleted in Teams.' } });
    const element = create();
    const toast = jest.fn();
    const sent = jest.fn();
    element.addEventListener(ShowToastEventName, toast);
    element.addEventListener('replysent', sent);
    await type(element, 'Anyone there?');
    element.shadowRoot.querySelector('lightning-button.send').click();
    await flushPromises();

    expect(sent).not.toHaveBeenCalled();
    expect(toast.mock.calls[0][0].detail).toEqual({
      title: 'c.TB_MessageFailedTitle',
      message: 'The linked channel was deleted in Teams.',
      variant: 'error',
      mode: 'sticky',
    });
    expect(element.shadowRoot.querySelector('lightning-textarea').value).toBe('Anyone there?');
    expect(element.shadowRoot.querySelector('lightning-button.send').disabled).toBe(false);
  });

  it('is accessible', async () => {
    const element = create();
    await expect(element).toBeAccessible();
  });
});
