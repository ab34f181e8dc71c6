import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getChannelHealth from '@salesforce/apex/TeamsChannelHealthController.getChannelHealth';
import renewSubscription from '@salesforce/apex/TeamsChannelHealthController.renewSubscription';
import { reduceErrors } from 'c/ldsUtils';
import { formatLabel, formatRelativeTime } from 'c/teamsFormat';
import LABELS from './labels';

const DATE_TIME = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' };
// Subscriptions that need an admin's eye: no notifications, removed by Graph, or failing.
const UNHEALTHY = new Set(['Silent', 'Removed', 'Error']);

/**
 * Channel links and their Graph subscriptions: expiry, last notification, last error, renew per row.
 */
export default class TeamsChannelHealth extends LightningElement {
  labels = LABELS;
  rows = [];
  error;
  loaded = false;
  wiredResult;
  renewing = new Set();

  columns = [
    {
      label: LABELS.COL_CHANNEL,
      fieldName: 'webUrl',
      type: 'url',
      typeAttributes: { label: { fieldName: 'channelName' }, target: '_blank' },
    },
    {
      label: LABELS.COL_RECORD,
      fieldName: 'recordUrl',
      type: 'url',
      typeAttributes: { label: { fieldName: 'recordName' } },
    },
    { label: LABELS.COL_TEAM, fieldName: 'teamName' },
    { label: LABELS.COL_LINK_STATUS, fieldName: 'linkStatus', initialWidth: 110 },
    {
      label: LABELS.COL_SUBSCRIPTION_STATUS,
      fieldName: 'subscriptionStatusText',
      initialWidth: 140,
      cellAttributes: { class: { fieldName: 'statusClass' } },
    },
    { label: LABELS.COL_EXPIRATION, fieldName: 'expiration', type: 'date', typeAttributes: DATE_TIME },
    { label: LABELS.COL_EXPIRES, fieldName: 'expiresIn' },
    {
      label: LABELS.COL_LAST_NOTIFICATION,
      fieldName: 'lastNotification',
      type: 'date',
      typeAttributes: DATE_TIME,
    },
    { label: LABELS.COL_LAST_ERROR, fieldName: 'lastError', wrapText: true },
    {
      type: 'button',
      initialWidth: 110,
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
    } else if (result.error) {
      this.error = result.error;
      this.rows = [];
      this.loaded = true;
    }
  }

  get tableRows() {
    const now = Date.now();
    return this.rows.map((row) => ({
      ...row,
      rowKey: row.subscriptionId ? `${row.linkId}:${row.subscriptionId}` : row.linkId,
      recordUrl: row.recordId ? `/${row.recordId}` : undefined,
      subscriptionStatusText: row.subscriptionStatus || LABELS.NO_SUBSCRIPTION,
      statusClass: UNHEALTHY.has(row.subscriptionStatus) ? 'slds-text-color_error' : '',
      expiresIn: formatRelativeTime(row.expiration, now),
      renewDisabled: !row.subscriptionId || this.renewing.has(row.subscriptionId),
    }));
  }

  get hasRows() {
    return this.rows.length > 0;
  }

  get showNoRows() {
    return this.loaded && !this.error && !this.hasRows;
  }

  get isLoading() {
    return !this.loaded;
  }

  get summary() {
    const unhealthy = this.rows.filter((row) => UNHEALTHY.has(row.subscriptionStatus)).length;
    return formatLabel(LABELS.SUMMARY, this.rows.length, unhealthy);
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
