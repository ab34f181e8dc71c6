import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getUserMappings from '@salesforce/apex/TeamsBridgeAdminController.getUserMappings';
import updateMapping from '@salesforce/apex/TeamsBridgeAdminController.updateMapping';
import autoMatchMappings from '@salesforce/apex/TeamsBridgeAdminController.autoMatchMappings';
import { reduceErrors } from 'c/ldsUtils';
import { formatDateTime, formatLabel, toTimestamp } from 'c/teamsFormat';
import LABELS from './labels';

const SEARCH_DELAY_MS = 300;
const UNMAPPED = 'Unmapped';
const STATUS_LABELS = {
  Auto: LABELS.STATUS_AUTO,
  Manual: LABELS.STATUS_MANUAL,
  Unmapped: LABELS.STATUS_UNMAPPED,
};

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

  get rows() {
    const editingId = this.editing?.id;
    return this.mappings.map((mapping) => {
      const isUnmapped = !mapping.userId;
      const editing = mapping.id === editingId;
      return {
        ...mapping,
        editKey: `${mapping.id}-edit`,
        // UPN and email are usually the same address: show the email only when it says something more.
        showEmail:
          !!mapping.email && mapping.email.toLowerCase() !== mapping.userPrincipalName?.toLowerCase(),
        isUnmapped,
        statusLabel: isUnmapped ? '' : (STATUS_LABELS[mapping.status] ?? mapping.status),
        lastActivityTime: toTimestamp(mapping.lastActivity),
        lastActivityExact: formatDateTime(mapping.lastActivity),
        actionLabel: isUnmapped ? LABELS.MAP_USER : LABELS.CHANGE_USER,
        actionVariant: isUnmapped ? 'brand' : 'neutral',
        editing,
        ariaExpanded: String(editing),
        rowClass: editing ? 'slds-hint-parent slds-is-selected' : 'slds-hint-parent',
      };
    });
  }

  get canClear() {
    return !!this.editing?.userId;
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

  handleEdit(event) {
    const mapping = this.mappings.find((candidate) => candidate.id === event.currentTarget.dataset.id);
    if (this.editing?.id === mapping.id) {
      this.cancelEdit();
      return;
    }
    this.editing = mapping;
    this.selectedUserId = mapping.userId ?? undefined;
  }

  handleRefresh() {
    return refreshApex(this.wiredResult);
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
