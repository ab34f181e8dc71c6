import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getChannelLink from '@salesforce/apex/TeamsConversationController.getChannelLink';
import getConversation from '@salesforce/apex/TeamsConversationController.getConversation';
import { reduceErrors } from 'c/ldsUtils';
import { formatLabel } from 'c/teamsFormat';
import LABELS from './labels';
import HAS_LINK_CHANNELS from '@salesforce/customPermission/Teams_Bridge_Link_Channels';

const DEFAULT_POLL_SECONDS = 30;

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
  liveUpdateError;
  newMessagesNotice = '';
  managingLink = false;
  now = Date.now();

  wiredLinkResult;
  pollTimer;
  polling = false;
  visibilityHandler = () => this.handleVisibilityChange();

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

  /** Linking lists teams through Graph and needs TeamsChannelLinkController: only for users granted it. */
  get canLinkChannels() {
    return HAS_LINK_CHANNELS === true;
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
      this.now = Date.now();
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
    try {
      const page = await getConversation({ recordId: this.recordId, pageToken: this.nextPageToken });
      this.messages = [...this.messages, ...(page?.messages ?? [])];
      this.nextPageToken = page?.nextPageToken;
    } catch (error) {
      this.conversationError = error;
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
    try {
      const page = await getConversation({ recordId: this.recordId, pageToken: null });
      const fresh = page?.messages ?? [];
      const known = new Set(this.messages.map((message) => message.id));
      const added = fresh.filter((message) => !known.has(message.id)).length;
      this.messages = mergeFirstPage(fresh, this.messages);
      if (this.nextPageToken === undefined) {
        this.nextPageToken = page?.nextPageToken;
      }
      this.newMessagesNotice = added > 0 ? formatLabel(LABELS.NEW_MESSAGES, added) : '';
      this.liveUpdateError = undefined;
    } catch (error) {
      this.liveUpdateError = formatLabel(LABELS.LIVE_UPDATES_PAUSED, reduceErrors(error).join(' '));
    } finally {
      this.polling = false;
    }
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
