import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import postReply from '@salesforce/apex/TeamsConversationController.postReply';
import { reduceErrors } from 'c/ldsUtils';
import NEW_POST_LABEL from '@salesforce/label/c.TB_NewPostLabel';
import REPLY_LABEL from '@salesforce/label/c.TB_ReplyLabel';
import PLACEHOLDER from '@salesforce/label/c.TB_MessagePlaceholder';
import SEND from '@salesforce/label/c.TB_Send';
import SENDING from '@salesforce/label/c.TB_Sending';
import SENT_TITLE from '@salesforce/label/c.TB_MessageSentTitle';
import SENT_BODY from '@salesforce/label/c.TB_MessageSentBody';
import FAILED_TITLE from '@salesforce/label/c.TB_MessageFailedTitle';

/**
 * Sends a message to the linked channel: a new post, or a reply in the thread `messageId`.
 * Fires `replysent` with `{ message, parentId }` once Teams has it.
 */
export default class TeamsReplyBox extends LightningElement {
  /** The Opportunity or Account whose linked channel receives the message. */
  @api recordId;
  /** The thread to reply in; empty posts a new thread. */
  @api messageId;
  /** Turns the box off, e.g. while the conversation it posts into cannot be loaded. */
  @api disabled = false;

  text = '';
  sending = false;
  placeholder = PLACEHOLDER;

  /** Puts the cursor in the box (the browser scrolls it into view inside the message region). */
  @api
  focus() {
    this.template.querySelector('lightning-textarea')?.focus();
  }

  get inputLabel() {
    return this.messageId ? REPLY_LABEL : NEW_POST_LABEL;
  }

  get sendLabel() {
    return this.sending ? SENDING : SEND;
  }

  get inputDisabled() {
    return this.sending || this.disabled;
  }

  get sendDisabled() {
    return this.inputDisabled || this.text.trim().length === 0;
  }

  handleChange(event) {
    this.text = event.detail.value ?? '';
  }

  async handleSend() {
    const text = this.text.trim();
    if (this.sendDisabled || text.length === 0) {
      return;
    }
    this.sending = true;
    const parentId = this.messageId || null;
    try {
      const message = await postReply({ recordId: this.recordId, messageId: parentId, text });
      this.text = '';
      this.dispatchEvent(new ShowToastEvent({ title: SENT_TITLE, message: SENT_BODY, variant: 'success' }));
      this.dispatchEvent(new CustomEvent('replysent', { detail: { message, parentId } }));
    } catch (error) {
      this.dispatchEvent(
        new ShowToastEvent({
          title: FAILED_TITLE,
          message: reduceErrors(error).join(' '),
          variant: 'error',
          mode: 'sticky',
        }),
      );
    } finally {
      this.sending = false;
    }
  }
}
