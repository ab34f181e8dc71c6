import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getChannelLink from '@salesforce/apex/TeamsConversationController.getChannelLink';
import getConversation from '@salesforce/apex/TeamsConversationController.getConversation';
import { reduceErrors } from 'c/ldsUtils';
import { formatLabel, formatPlural } from 'c/teamsFormat';
import LABELS from './labels';

const DEFAULT_POLL_SECONDS = 30;
// How close to the bottom (px) still counts as "reading the newest": new messages then scroll into view.
const AT_BOTTOM_SLACK = 24;

/** Newest page first; messages already shown but not in the fresh page (older pages) stay after it. */
function mergeFirstPage(fresh, existing) {
  const freshIds = new Set(fresh.map((message) => message.id));
  return [...fresh, ...existing.filter((message) => !freshIds.has(message.id))];
}

/**
 * The Teams conversation of the channel linked to this Opportunity or Account: read it, open it in Teams,
 * reply, link a channel when there is none. Polls for new messages while the browser tab is visible.
 */
export default class TeamsConversation extends LightningElement {
  @api recordId;
  @api objectApiName;
  /** Seconds between live updates while the tab is visible; 0 turns live updates off. */
  @api pollIntervalSeconds = DEFAULT_POLL_SECONDS;

  labels = LABELS;
  link;
  linkLoaded = false;
  linkError;
  messages = [];
  nextPageToken;
  loadingMessages = false;
  loadingMore = false;
  conversationError;
  olderError;
  liveUpdateError;
  newMessagesNotice = '';
  managingLink = false;
  now = Date.now();

  wiredLinkResult;
  pollTimer;
  polling = false;
  visibilityHandler = () => this.handleVisibilityChange();
  /** After the next render: 'bottom' shows the newest message, a number keeps that distance from the bottom. */
  pendingScroll;

  @wire(getChannelLink, { recordId: '$recordId' })
  wiredLink(result) {
    this.wiredLinkResult = result;
    if (result.error) {
      this.linkError = result.error;
      this.linkLoaded = true;
    } else if (result.data !== undefined) {
      this.linkError = undefined;
      this.applyLink(result.data);
    }
  }

  connectedCallback() {
    const seconds = Number(this.pollIntervalSeconds);
    if (seconds > 0) {
      // Live updates: a light poll of the first page; cleared in disconnectedCallback.
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      this.pollTimer = setInterval(() => this.poll(), seconds * 1000);
      document.addEventListener('visibilitychange', this.visibilityHandler);
    }
  }

  renderedCallback() {
    const scroller = this.template.querySelector('.message-scroller');
    if (!scroller || this.pendingScroll === undefined) {
      return;
    }
    const fromBottom = this.pendingScroll === 'bottom' ? 0 : this.pendingScroll;
    scroller.scrollTop = Math.max(0, scroller.scrollHeight - scroller.clientHeight - fromBottom);
    this.pendingScroll = undefined;
  }

  disconnectedCallback() {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    document.removeEventListener('visibilitychange', this.visibilityHandler);
  }

  // On an App Page the record id is a property the admin sets; without it nothing can load.
  get hasNoRecord() {
    return !this.recordId;
  }

  get isLoadingLink() {
    return !this.linkLoaded && !this.hasNoRecord;
  }

  get isLinked() {
    return !!this.link && this.link.status !== 'Unlinked';
  }

  get showEmptyState() {
    return this.linkLoaded && !this.linkError && !this.isLinked;
  }

  get isPaused() {
    return this.isLinked && this.link.status === 'Paused';
  }

  get channelSummary() {
    return formatLabel(LABELS.CHANNEL_SUMMARY, this.link?.channelName, this.link?.teamName);
  }

  get hasMessages() {
    return this.messages.length > 0;
  }

  /** Oldest first, as Teams shows a channel: the newest message sits right above the composer. */
  get displayMessages() {
    return [...this.messages].reverse();
  }

  // Nothing can be posted into a conversation that cannot be read.
  get composerDisabled() {
    return !!this.conversationError;
  }

  get showNoMessages() {
    return !this.loadingMessages && !this.conversationError && !this.hasMessages;
  }

  get hasMore() {
    return !!this.nextPageToken && !this.loadingMessages;
  }

  get manageLinkLabel() {
    return this.managingLink ? LABELS.DONE : LABELS.CHANGE_CHANNEL;
  }

  applyLink(link) {
    const previousChannel = this.link?.channelId;
    this.link = link ?? null;
    this.linkLoaded = true;
    if (!this.isLinked) {
      this.messages = [];
      this.nextPageToken = undefined;
      return;
    }
    if (this.link.channelId !== previousChannel) {
      this.messages = [];
      this.loadFirstPage();
    }
  }

  async loadFirstPage() {
    this.loadingMessages = true;
    this.conversationError = undefined;
    try {
      const page = await getConversation({ recordId: this.recordId, pageToken: null });
      this.messages = page?.messages ?? [];
      this.nextPageToken = page?.nextPageToken;
      this.olderError = undefined;
      this.now = Date.now();
      this.pendingScroll = 'bottom';
    } catch (error) {
      this.conversationError = error;
    } finally {
      this.loadingMessages = false;
    }
  }

  async handleLoadMore() {
    if (!this.nextPageToken || this.loadingMore) {
      return;
    }
    this.loadingMore = true;
    this.olderError = undefined;
    // Older messages appear above: keep what the user is reading at the same distance from the bottom.
    const fromBottom = this.distanceFromBottom();
    try {
      const page = await getConversation({ recordId: this.recordId, pageToken: this.nextPageToken });
      this.pendingScroll = fromBottom;
      this.messages = [...this.messages, ...(page?.messages ?? [])];
      this.nextPageToken = page?.nextPageToken;
    } catch (error) {
      this.olderError = error;
    } finally {
      this.loadingMore = false;
    }
  }

  async handleRefresh() {
    await refreshApex(this.wiredLinkResult);
    if (this.isLinked) {
      await this.loadFirstPage();
    }
  }

  /** One live update: fetch the newest page quietly and merge it in. */
  async poll() {
    // One poll at a time: a slow service must not pile up requests.
    if (document.visibilityState === 'hidden' || !this.isLinked || this.loadingMessages || this.polling) {
      return;
    }
    this.polling = true;
    this.now = Date.now();
    const readingNewest = (this.distanceFromBottom() ?? 0) <= AT_BOTTOM_SLACK;
    try {
      const page = await getConversation({ recordId: this.recordId, pageToken: null });
      const fresh = page?.messages ?? [];
      const known = new Set(this.messages.map((message) => message.id));
      const added = fresh.filter((message) => !known.has(message.id)).length;
      if (added > 0 && readingNewest) {
        this.pendingScroll = 'bottom';
      }
      this.messages = mergeFirstPage(fresh, this.messages);
      if (this.nextPageToken === undefined) {
        this.nextPageToken = page?.nextPageToken;
      }
      this.newMessagesNotice =
        added > 0 ? formatPlural(added, LABELS.NEW_MESSAGES_ONE, LABELS.NEW_MESSAGES_OTHER) : '';
      this.liveUpdateError = undefined;
    } catch (error) {
      this.liveUpdateError = formatLabel(LABELS.LIVE_UPDATES_PAUSED, reduceErrors(error).join(' '));
    } finally {
      this.polling = false;
    }
  }

  /** Pixels between the bottom of the message region and what is in view; undefined without the region. */
  distanceFromBottom() {
    const scroller = this.template.querySelector('.message-scroller');
    return scroller ? scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop : undefined;
  }

  handleRetry() {
    return this.loadFirstPage();
  }

  handleVisibilityChange() {
    if (document.visibilityState === 'visible') {
      this.poll();
    }
  }

  handleReplySent(event) {
    const { message, parentId } = event.detail;
    if (!message) {
      return;
    }
    if (parentId) {
      this.messages = this.messages.map((thread) => {
        if (thread.id !== parentId) {
          return thread;
        }
        return { ...thread, replies: [...(thread.replies ?? []), message] };
      });
    } else {
      this.messages = [message, ...this.messages];
      this.pendingScroll = 'bottom';
    }
    this.now = Date.now();
  }

  toggleManageLink() {
    this.managingLink = !this.managingLink;
  }

  handleLinkChange(event) {
    this.managingLink = false;
    this.applyLink(event.detail?.link ?? null);
    refreshApex(this.wiredLinkResult);
  }
}
