import { LightningElement, api } from 'lwc';
import { formatDateTime, formatLabel, formatRelativeTime, initials, linkify } from 'c/teamsFormat';
import VIEW_IN_TEAMS from '@salesforce/label/c.TB_ViewInTeams';
import REPLY from '@salesforce/label/c.TB_Reply';
import CANCEL_REPLY from '@salesforce/label/c.TB_CancelReply';
import SHOW_REPLIES from '@salesforce/label/c.TB_ShowReplies';
import HIDE_REPLIES from '@salesforce/label/c.TB_HideReplies';
import REPLIES_TO from '@salesforce/label/c.TB_RepliesTo';
import UNKNOWN_SENDER from '@salesforce/label/c.TB_UnknownSender';

function toView(message, now) {
  const author = message.author || UNKNOWN_SENDER;
  return {
    id: message.id,
    author,
    // No name, no initials: the avatar then shows its standard:user icon instead of "US" for "Unknown sender".
    initials: message.author ? initials(message.author) : undefined,
    createdDateTime: message.createdDateTime,
    relativeTime: formatRelativeTime(message.createdDateTime, now),
    fullTime: formatDateTime(message.createdDateTime),
    segments: linkify(message.text),
    webUrl: message.webUrl,
  };
}

/**
 * One thread of the conversation: the root message, its replies (collapsed until asked for) and a reply box.
 * Re-fires `replysent` from its reply box and opens the replies so the new one is visible.
 */
export default class TeamsMessage extends LightningElement {
  /** MessageDto: { id, author, authorEmail, createdDateTime, text, webUrl, replies } */
  @api message;
  /** The record whose linked channel this message is in (for replying). */
  @api recordId;
  /** Epoch millis that relative times are measured from; the parent ticks it. */
  @api now;

  expanded = false;
  replying = false;
  focusReplyBox = false;
  viewInTeams = VIEW_IN_TEAMS;

  get root() {
    return toView(this.message ?? {}, this.now ?? Date.now());
  }

  get replies() {
    const now = this.now ?? Date.now();
    return (this.message?.replies ?? []).map((reply) => toView(reply, now));
  }

  get hasReplies() {
    return this.replies.length > 0;
  }

  get showReplies() {
    return this.expanded && this.hasReplies;
  }

  get ariaExpanded() {
    return String(this.expanded);
  }

  get repliesId() {
    return `replies-${this.message?.id}`;
  }

  // Points at the replies list only while it is rendered, so the reference is never dangling.
  get controlsId() {
    return this.showReplies ? this.repliesId : undefined;
  }

  get toggleLabel() {
    return formatLabel(this.expanded ? HIDE_REPLIES : SHOW_REPLIES, this.replies.length);
  }

  get toggleIcon() {
    return this.expanded ? 'utility:chevrondown' : 'utility:chevronright';
  }

  get repliesLabel() {
    return formatLabel(REPLIES_TO, this.root.author);
  }

  get replyButtonLabel() {
    return this.replying ? CANCEL_REPLY : REPLY;
  }

  toggleReplies() {
    this.expanded = !this.expanded;
  }

  toggleReplyBox() {
    this.replying = !this.replying;
    this.focusReplyBox = this.replying;
  }

  renderedCallback() {
    if (this.focusReplyBox) {
      this.focusReplyBox = false;
      // The box opens under the thread, possibly below the visible part of the message region.
      this.template.querySelector('c-teams-reply-box')?.focus();
    }
  }

  handleReplySent(event) {
    event.stopPropagation();
    this.replying = false;
    this.expanded = true;
    this.dispatchEvent(new CustomEvent('replysent', { detail: event.detail }));
  }
}
