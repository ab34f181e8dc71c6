import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getDeadLetters from '@salesforce/apex/TeamsDeadLettersController.getDeadLetters';
import retryDeadLetter from '@salesforce/apex/TeamsDeadLettersController.retryDeadLetter';
import { reduceErrors } from 'c/ldsUtils';
import { formatLabel } from 'c/teamsFormat';
import LABELS from './labels';

const DATE_TIME = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' };

/**
 * Jobs the service gave up on (kept in its dead-letter queue), a page at a time, with retry per row.
 * Not cached: the list lives in the service and changes as jobs are retried.
 */
export default class TeamsDeadLetters extends LightningElement {
  /** Rows per page. */
  @api pageSize = 20;

  labels = LABELS;
  items = [];
  total = 0;
  offset = 0;
  error;
  loading = false;
  retrying = new Set();

  columns = [
    { label: LABELS.COL_QUEUE, fieldName: 'queue', initialWidth: 140 },
    { label: LABELS.COL_SUMMARY, fieldName: 'summary', wrapText: true },
    { label: LABELS.COL_ERROR, fieldName: 'error', wrapText: true },
    { label: LABELS.COL_FAILED_AT, fieldName: 'failedAt', type: 'date', typeAttributes: DATE_TIME },
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

  get pageSummary() {
    const first = this.total === 0 ? 0 : this.offset + 1;
    return formatLabel(LABELS.PAGE_SUMMARY, first, this.offset + this.items.length, this.total);
  }

  get previousDisabled() {
    return this.loading || this.offset === 0;
  }

  get nextDisabled() {
    return this.loading || this.offset + this.items.length >= this.total;
  }

  async load() {
    this.loading = true;
    try {
      const page = await getDeadLetters({ limitSize: Number(this.pageSize), offset: this.offset });
      this.items = page?.items ?? [];
      this.total = page?.total ?? 0;
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

  handlePrevious() {
    this.offset = Math.max(0, this.offset - Number(this.pageSize));
    return this.load();
  }

  handleNext() {
    this.offset += Number(this.pageSize);
    return this.load();
  }

  async handleRowAction(event) {
    const { action, row } = event.detail;
    if (action.name !== 'retry') {
      return;
    }
    this.retrying = new Set([...this.retrying, row.id]);
    try {
      await retryDeadLetter({ deadLetterId: row.id });
      this.toast(LABELS.RETRIED, row.summary ?? row.id, 'success');
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
