import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getOutboundFailures from '@salesforce/apex/TeamsOutboundFailuresController.getOutboundFailures';
import retryOutboundFailure from '@salesforce/apex/TeamsOutboundFailuresController.retryOutboundFailure';
import { reduceErrors } from 'c/ldsUtils';
import LABELS from './labels';

const DATE_TIME = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' };

/** Batches of cards Salesforce could not hand to the service (Teams Outbound Failures), with retry per row. */
export default class TeamsOutboundFailures extends LightningElement {
  labels = LABELS;
  items = [];
  error;
  loading = false;
  retrying = new Set();

  columns = [
    { label: LABELS.COL_STATUS, fieldName: 'status', initialWidth: 100 },
    { label: LABELS.COL_CARDS, fieldName: 'itemCount', type: 'number', initialWidth: 90 },
    { label: LABELS.COL_REASON, fieldName: 'reason', wrapText: true },
    { label: LABELS.COL_FAILED_AT, fieldName: 'createdDate', type: 'date', typeAttributes: DATE_TIME },
    { label: LABELS.COL_ATTEMPTS, fieldName: 'attempts', type: 'number', initialWidth: 100 },
    {
      type: 'button',
      initialWidth: 100,
      typeAttributes: {
        label: LABELS.RETRY,
        name: 'retry',
        iconName: 'utility:redo',
        disabled: { fieldName: 'retryDisabled' },
      },
    },
  ];

  connectedCallback() {
    this.load();
  }

  get tableRows() {
    return this.items.map((item) => ({ ...item, retryDisabled: this.retrying.has(item.id) }));
  }

  get hasItems() {
    return this.items.length > 0;
  }

  get showNoItems() {
    return !this.loading && !this.error && !this.hasItems;
  }

  async load() {
    this.loading = true;
    try {
      this.items = (await getOutboundFailures()) ?? [];
      this.error = undefined;
    } catch (error) {
      this.error = error;
      this.items = [];
    } finally {
      this.loading = false;
    }
  }

  handleRefresh() {
    return this.load();
  }

  async handleRowAction(event) {
    const { action, row } = event.detail;
    if (action.name !== 'retry') {
      return;
    }
    this.retrying = new Set([...this.retrying, row.id]);
    try {
      await retryOutboundFailure({ failureId: row.id });
      this.toast(LABELS.RETRIED, row.name, 'success');
      await this.load();
    } catch (error) {
      this.toast(LABELS.ACTION_FAILED, reduceErrors(error).join(' '), 'error');
    } finally {
      const next = new Set(this.retrying);
      next.delete(row.id);
      this.retrying = next;
    }
  }

  toast(title, message, variant) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
