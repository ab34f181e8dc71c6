import { LightningElement, api } from 'lwc';
import { callWorkbench } from '../http';

/**
 * `lightning-record-picker` (not in the base components package) for `object-api-name="User"`: searches the
 * stand-in's active users by name, username or email and fires `change` with `{ recordId }` as the real one.
 */
export default class RecordPicker extends LightningElement {
  @api label;
  @api objectApiName;
  @api placeholder;
  @api disabled = false;
  @api filter;
  term = '';
  results = [];
  selectedName;
  selectedId;
  searchTimer;

  @api
  get value() {
    return this.selectedId;
  }
  set value(recordId) {
    this.selectedId = recordId ?? undefined;
    if (!recordId) this.selectedName = undefined;
    else this.loadName(recordId);
  }

  get placeholderText() {
    return this.placeholder ?? `Search ${this.objectApiName === 'User' ? 'people' : 'records'}...`;
  }

  get hasResults() {
    return this.results.length > 0;
  }

  get resultsLabel() {
    return `${this.label ?? 'Record'} matches`;
  }

  async loadName(recordId) {
    try {
      const record = await callWorkbench('/workbench/api/ui/record', { recordId, fields: ['User.Name'] });
      this.selectedName = record?.fields?.Name?.value;
    } catch {
      this.selectedName = recordId;
    }
  }

  handleTermChange(event) {
    this.term = event.detail.value ?? '';
    clearTimeout(this.searchTimer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.searchTimer = setTimeout(() => this.search(), 250);
  }

  async search() {
    if (this.objectApiName !== 'User') {
      this.results = [];
      return;
    }
    this.results = this.term.trim()
      ? ((await callWorkbench('/workbench/api/ui/search-users', { term: this.term })) ?? [])
      : [];
  }

  handlePick(event) {
    const id = event.currentTarget.dataset.id;
    const picked = this.results.find((result) => result.Id === id);
    this.selectedId = id;
    this.selectedName = picked?.Name;
    this.results = [];
    this.term = '';
    this.dispatchEvent(new CustomEvent('change', { detail: { recordId: id } }));
  }

  handleClear() {
    this.selectedId = undefined;
    this.selectedName = undefined;
    this.dispatchEvent(new CustomEvent('change', { detail: { recordId: null } }));
  }
}
