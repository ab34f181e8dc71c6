import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getDeadLetters from '@salesforce/apex/TeamsBridgeAdminController.getDeadLetters';
import retryDeadLetter from '@salesforce/apex/TeamsBridgeAdminController.retryDeadLetter';
import { reduceErrors } from 'c/ldsUtils';
import { formatDateTime, formatLabel, toTimestamp } from 'c/teamsFormat';
import LABELS from './labels';

// Queue names are the service's internals: an admin reads what the job was. Matched by prefix, so a renamed or
// versioned queue ("inbound-message", "inbound-notification") still reads right.
const JOB_KINDS = [
  ['inbound', LABELS.JOB_INBOUND],
  ['outbound', LABELS.JOB_OUTBOUND],
  ['transcript', LABELS.JOB_TRANSCRIPT],
];

function kindOf(queue) {
  const name = String(queue ?? '').toLowerCase();
  return JOB_KINDS.find(([prefix]) => name.startsWith(prefix))?.[1] ?? LABELS.JOB_OTHER;
}

/** Whom and where, when the service says so; else its own summary; else that there is none. */
function detailsOf(item) {
  if (item.sender && item.channelName) {
    return formatLabel(LABELS.JOB_MESSAGE_FROM, item.sender, item.channelName);
  }
  if (item.channelName) {
    return formatLabel(LABELS.JOB_MESSAGE_IN, item.channelName);
  }
  if (item.recordName) {
    return formatLabel(LABELS.JOB_HANDOFF, item.recordName);
  }
  return item.summary || LABELS.JOB_NO_DETAILS;
}

/** "Teams message to Task: message from Lee Gu in Deal - Acme Renewal", never a queue name. */
export function describeJob(item) {
  return formatLabel(LABELS.JOB_DESCRIPTION, kindOf(item.queue), detailsOf(item));
}

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
    { label: LABELS.COL_WHAT_FAILED, fieldName: 'description', wrapText: true },
    { label: LABELS.COL_ERROR, fieldName: 'error', type: 'longText', wrapText: true },
    {
      label: LABELS.COL_FAILED_AT,
      fieldName: 'failedTime',
      type: 'relativeTime',
      initialWidth: 150,
      typeAttributes: { exact: { fieldName: 'failedExact' } },
    },
    { label: LABELS.COL_ATTEMPTS, fieldName: 'attempts', type: 'number', initialWidth: 110 },
    {
      type: 'button',
      initialWidth: 120,
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
    return this.items.map((item) => ({
      ...item,
      description: describeJob(item),
      failedTime: toTimestamp(item.failedAt),
      failedExact: formatDateTime(item.failedAt),
      retryDisabled: this.retrying.has(item.id),
    }));
  }

  get hasItems() {
    return this.items.length > 0;
  }

  get isEmpty() {
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
      this.toast(LABELS.RETRIED, describeJob(row), 'success');
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
