import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getChannelHealth from '@salesforce/apex/TeamsBridgeAdminController.getChannelHealth';
import renewSubscription from '@salesforce/apex/TeamsBridgeAdminController.renewSubscription';
import { reduceErrors } from 'c/ldsUtils';
import { formatDateTime, formatLabel, formatPlural, toTimestamp } from 'c/teamsFormat';
import { badgeClass } from 'c/teamsDatatable';
import LABELS from './labels';

/**
 * One status per link, from the link and its subscription: what an admin has to know first.
 * `attention` marks the ones to act on (a paused link was paused on purpose).
 */
function healthOf(row, now) {
  if (row.linkStatus === 'Paused') {
    return { label: LABELS.HEALTH_PAUSED, theme: 'neutral', attention: false };
  }
  if (!row.subscriptionId) {
    return { label: LABELS.HEALTH_NO_SUBSCRIPTION, theme: 'warning', attention: true };
  }
  switch (row.subscriptionStatus) {
    case 'Error':
      return { label: LABELS.HEALTH_FAILING, theme: 'error', attention: true };
    case 'Removed':
      return { label: LABELS.HEALTH_REMOVED, theme: 'error', attention: true };
    case 'Silent':
      return { label: LABELS.HEALTH_SILENT, theme: 'warning', attention: true };
    default:
      break;
  }
  const expiration = toTimestamp(row.expiration);
  if (expiration !== undefined && expiration <= now) {
    return { label: LABELS.HEALTH_EXPIRED, theme: 'error', attention: true };
  }
  return { label: LABELS.HEALTH_ACTIVE, theme: 'success', attention: false };
}

/**
 * Channel links and their Graph subscriptions: one status badge, when the last notification came, when the
 * subscription expires, the last error (summarised, whole on demand), renew per row.
 */
export default class TeamsChannelHealth extends NavigationMixin(LightningElement) {
  labels = LABELS;
  rows = [];
  error;
  loaded = false;
  wiredResult;
  renewing = new Set();
  /** Record id -> the URL Lightning gives its record page (NavigationMixin.GenerateUrl). */
  recordUrls = {};

  columns = [
    {
      label: LABELS.COL_RECORD,
      fieldName: 'recordUrl',
      type: 'url',
      wrapText: true,
      typeAttributes: { label: { fieldName: 'recordName' } },
    },
    {
      label: LABELS.COL_CHANNEL,
      fieldName: 'webUrl',
      type: 'url',
      wrapText: true,
      typeAttributes: { label: { fieldName: 'channelLabel' }, target: '_blank' },
    },
    {
      label: LABELS.COL_STATUS,
      fieldName: 'healthLabel',
      type: 'badge',
      initialWidth: 130,
      typeAttributes: { badgeClass: { fieldName: 'healthClass' } },
    },
    {
      label: LABELS.COL_LAST_NOTIFICATION,
      fieldName: 'lastNotificationTime',
      type: 'relativeTime',
      initialWidth: 140,
      typeAttributes: { exact: { fieldName: 'lastNotificationExact' }, emptyLabel: LABELS.NEVER },
    },
    {
      label: LABELS.COL_EXPIRES,
      fieldName: 'expirationTime',
      type: 'relativeTime',
      initialWidth: 110,
      typeAttributes: { exact: { fieldName: 'expirationExact' }, emptyLabel: LABELS.NO_SUBSCRIPTION },
    },
    {
      label: LABELS.COL_LAST_ERROR,
      fieldName: 'lastError',
      type: 'longText',
      wrapText: true,
      typeAttributes: { length: 40 },
    },
    {
      type: 'button',
      initialWidth: 120,
      typeAttributes: {
        label: LABELS.RENEW,
        name: 'renew',
        iconName: 'utility:refresh',
        disabled: { fieldName: 'renewDisabled' },
      },
    },
  ];

  @wire(getChannelHealth)
  wiredHealth(result) {
    this.wiredResult = result;
    if (result.data) {
      this.rows = result.data;
      this.error = undefined;
      this.loaded = true;
      this.generateRecordUrls();
    } else if (result.error) {
      this.error = result.error;
      this.rows = [];
      this.loaded = true;
    }
  }

  async generateRecordUrls() {
    const ids = [...new Set(this.rows.map((row) => row.recordId).filter((id) => !!id))];
    const urls = await Promise.all(
      ids.map((recordId) =>
        this[NavigationMixin.GenerateUrl]({
          type: 'standard__recordPage',
          attributes: { recordId, actionName: 'view' },
        }),
      ),
    );
    this.recordUrls = Object.fromEntries(ids.map((id, index) => [id, urls[index]]));
  }

  get tableRows() {
    const now = Date.now();
    return this.rows.map((row) => {
      const health = healthOf(row, now);
      return {
        ...row,
        rowKey: row.subscriptionId ? `${row.linkId}:${row.subscriptionId}` : row.linkId,
        recordUrl: row.recordId ? this.recordUrls[row.recordId] : undefined,
        // The channel often carries the record's name: then the team is what tells it apart.
        channelLabel:
          row.channelName === row.recordName
            ? formatLabel(LABELS.NAMESAKE_CHANNEL, row.teamName)
            : formatLabel(LABELS.CHANNEL_IN_TEAM, row.channelName, row.teamName),
        healthLabel: health.label,
        healthClass: badgeClass(health.theme),
        needsAttention: health.attention,
        lastNotificationTime: toTimestamp(row.lastNotification),
        lastNotificationExact: formatDateTime(row.lastNotification),
        expirationTime: toTimestamp(row.expiration),
        expirationExact: formatDateTime(row.expiration),
        renewDisabled: !row.subscriptionId || this.renewing.has(row.subscriptionId),
      };
    });
  }

  get hasRows() {
    return this.rows.length > 0;
  }

  get isEmpty() {
    return this.loaded && !this.error && !this.hasRows;
  }

  get isLoading() {
    return !this.loaded;
  }

  get summary() {
    if (!this.loaded || this.error) {
      return '';
    }
    const attention = this.tableRows.filter((row) => row.needsAttention).length;
    return formatLabel(
      LABELS.SUMMARY,
      formatPlural(this.rows.length, LABELS.LINKED_ONE, LABELS.LINKED_OTHER),
      formatPlural(attention, LABELS.ATTENTION_ONE, LABELS.ATTENTION_OTHER),
    );
  }

  handleRefresh() {
    return refreshApex(this.wiredResult);
  }

  async handleRowAction(event) {
    const { action, row } = event.detail;
    if (action.name !== 'renew' || !row.subscriptionId) {
      return;
    }
    this.renewing = new Set([...this.renewing, row.subscriptionId]);
    try {
      await renewSubscription({ subscriptionId: row.subscriptionId });
      this.toast(LABELS.RENEWED, row.channelName, 'success');
      await refreshApex(this.wiredResult);
    } catch (error) {
      this.toast(LABELS.ACTION_FAILED, reduceErrors(error).join(' '), 'error');
    } finally {
      const next = new Set(this.renewing);
      next.delete(row.subscriptionId);
      this.renewing = next;
    }
  }

  toast(title, message, variant) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
