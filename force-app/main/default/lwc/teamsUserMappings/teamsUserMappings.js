import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getUserMappings from '@salesforce/apex/TeamsUserMappingsController.getUserMappings';
import updateMapping from '@salesforce/apex/TeamsUserMappingsController.updateMapping';
import autoMatchMappings from '@salesforce/apex/TeamsUserMappingsController.autoMatchMappings';
import { reduceErrors } from 'c/ldsUtils';
import { formatLabel } from 'c/teamsFormat';
import LABELS from './labels';

const SEARCH_DELAY_MS = 300;
const UNMAPPED = 'Unmapped';

/**
 * Entra ID user ↔ Salesforce user mappings: search, filter by status, the unmapped queue, change the
 * Salesforce user of a mapping (record picker on active users), and bulk auto-match by email/UPN.
 */
export default class TeamsUserMappings extends LightningElement {
  labels = LABELS;
  searchInput = '';
  searchTerm = '';
  status = '';
  mappings = [];
  error;
  loaded = false;
  wiredResult;
  editing;
  selectedUserId;
  saving = false;
  matching = false;
  autoMatchSummary = '';
  searchTimer;

  userFilter = { criteria: [{ fieldPath: 'IsActive', operator: 'eq', value: true }] };

  columns = [
    { label: LABELS.COL_NAME, fieldName: 'name' },
    { label: LABELS.COL_UPN, fieldName: 'userPrincipalName' },
    { label: LABELS.COL_EMAIL, fieldName: 'email', type: 'email' },
    { label: LABELS.COL_SF_USER, fieldName: 'userName' },
    { label: LABELS.STATUS, fieldName: 'status', initialWidth: 120 },
    {
      label: LABELS.COL_LAST_ACTIVITY,
      fieldName: 'lastActivity',
      type: 'date',
      typeAttributes: { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' },
    },
    {
      type: 'button',
      initialWidth: 170,
      typeAttributes: { label: LABELS.CHANGE_USER, name: 'edit', variant: 'base' },
    },
  ];

  @wire(getUserMappings, { searchTerm: '$searchTerm', status: '$status' })
  wiredMappings(result) {
    this.wiredResult = result;
    if (result.data) {
      this.mappings = result.data;
      this.error = undefined;
      this.loaded = true;
    } else if (result.error) {
      this.error = result.error;
      this.mappings = [];
      this.loaded = true;
    }
  }

  disconnectedCallback() {
    clearTimeout(this.searchTimer);
  }

  get statusOptions() {
    return [
      { label: LABELS.STATUS_ALL, value: '' },
      { label: LABELS.STATUS_AUTO, value: 'Auto' },
      { label: LABELS.STATUS_MANUAL, value: 'Manual' },
      { label: LABELS.STATUS_UNMAPPED, value: UNMAPPED },
    ];
  }

  get hasMappings() {
    return this.mappings.length > 0;
  }

  get showNoMappings() {
    return this.loaded && !this.error && !this.hasMappings;
  }

  get isLoading() {
    return !this.loaded;
  }

  get editTitle() {
    return formatLabel(LABELS.EDIT_TITLE, this.editing?.name);
  }

  get saveDisabled() {
    return this.saving || !this.selectedUserId;
  }

  handleSearchChange(event) {
    this.searchInput = event.detail.value ?? '';
    clearTimeout(this.searchTimer);
    // Debounce so typing does not send one Apex call per key.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.searchTimer = setTimeout(() => {
      this.searchTerm = this.searchInput.trim();
    }, SEARCH_DELAY_MS);
  }

  handleStatusChange(event) {
    this.status = event.detail.value;
  }

  showUnmapped() {
    this.status = UNMAPPED;
  }

  handleRowAction(event) {
    if (event.detail.action.name === 'edit') {
      this.editing = event.detail.row;
      this.selectedUserId = event.detail.row.userId;
    }
  }

  handleUserChange(event) {
    this.selectedUserId = event.detail.recordId ?? undefined;
  }

  cancelEdit() {
    this.editing = undefined;
    this.selectedUserId = undefined;
  }

  saveMapping() {
    return this.save(this.selectedUserId);
  }

  clearMapping() {
    return this.save(null);
  }

  async save(userId) {
    this.saving = true;
    try {
      const saved = await updateMapping({ mappingId: this.editing.id, userId });
      this.toast(LABELS.MAPPING_SAVED, saved?.name ?? '', 'success');
      this.cancelEdit();
      await refreshApex(this.wiredResult);
    } catch (error) {
      this.toast(LABELS.ACTION_FAILED, reduceErrors(error).join(' '), 'error');
    } finally {
      this.saving = false;
    }
  }

  async handleAutoMatch() {
    this.matching = true;
    try {
      const result = await autoMatchMappings();
      this.autoMatchSummary = formatLabel(LABELS.AUTO_MATCH_RESULT, result.matched, result.unmatched);
      this.toast(LABELS.AUTO_MATCH_DONE, this.autoMatchSummary, 'success');
      await refreshApex(this.wiredResult);
    } catch (error) {
      this.toast(LABELS.ACTION_FAILED, reduceErrors(error).join(' '), 'error');
    } finally {
      this.matching = false;
    }
  }

  toast(title, message, variant) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
