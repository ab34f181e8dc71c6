import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import { callWorkbench } from '../../../platform/http';

const FIELDS = [
  'Opportunity.Name',
  'Opportunity.StageName',
  'Opportunity.Amount',
  'Opportunity.CloseDate',
  'Opportunity.Account.Name',
  'Opportunity.Owner.Name',
];
const TASKS_REFRESH_MS = 2000;

/**
 * The Opportunity record page as the package's FlexiPage lays it out: the highlights panel, the Teams
 * conversation card (the real component) and the related Tasks. The related list refreshes itself every 2 s so
 * results of the simulation appear live (Lightning refreshes it on navigation or a record change).
 */
export default class RecordPage extends LightningElement {
  @api recordId;
  @api pollIntervalSeconds;
  record;
  recordError;
  tasks = [];
  tasksError;
  timer;

  @wire(getRecord, { recordId: '$recordId', fields: FIELDS })
  wiredRecord({ data, error }) {
    if (data) {
      this.record = data;
      this.recordError = undefined;
    } else if (error) {
      this.recordError = error.body?.[0]?.message ?? error.body?.message ?? 'The record could not be loaded.';
    }
  }

  connectedCallback() {
    this.loadTasks();
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setInterval(() => this.loadTasks(), TASKS_REFRESH_MS);
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }

  async loadTasks() {
    try {
      const tasks =
        (await callWorkbench('/workbench/api/ui/related-tasks', { recordId: this.recordId })) ?? [];
      this.tasks = tasks.map((task) => ({ ...task, ownerName: task.Owner?.Name ?? '' }));
      this.tasksError = undefined;
    } catch (error) {
      this.tasksError = error.body?.[0]?.message ?? error.body?.message ?? 'Tasks could not be loaded.';
    }
  }

  field(name) {
    return this.record ? getFieldValue(this.record, name) : undefined;
  }
  get name() {
    return this.field('Opportunity.Name') ?? '';
  }
  get stageName() {
    return this.field('Opportunity.StageName');
  }
  get amount() {
    return this.field('Opportunity.Amount');
  }
  get closeDate() {
    return this.field('Opportunity.CloseDate');
  }
  get accountName() {
    return this.field('Opportunity.Account.Name');
  }
  get ownerName() {
    return this.field('Opportunity.Owner.Name');
  }
  get hasTasks() {
    return this.tasks.length > 0;
  }
  get tasksTitle() {
    return `Tasks (${this.tasks.length})`;
  }
}
