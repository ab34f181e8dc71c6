import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getUnassignedMeetings from '@salesforce/apex/TeamsUnassignedMeetingsController.getUnassignedMeetings';
import assignMeeting from '@salesforce/apex/TeamsUnassignedMeetingsController.assignMeeting';
import getSkippedMeetings from '@salesforce/apex/TeamsUnassignedMeetingsController.getSkippedMeetings';
import { reduceErrors } from 'c/ldsUtils';
import { formatLabel } from 'c/teamsFormat';
import LABELS from './labels';

const RECORD_ID = /^(006|001)[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/;

/**
 * Meeting transcripts whose action items matched no record, with their action items; the admin assigns one
 * to an Opportunity or Account by Id and the service creates its Tasks there. The other view lists the
 * meetings the service skipped, and why. Not cached: the lists live in the service.
 */
export default class TeamsUnassignedMeetings extends LightningElement {
  labels = LABELS;
  meetings = [];
  error;
  loading = false;
  chosenMeeting;
  recordId = '';
  assigning = false;
  view = 'unassigned';

  viewOptions = [
    { label: LABELS.VIEW_UNASSIGNED, value: 'unassigned' },
    { label: LABELS.VIEW_SKIPPED, value: 'skipped' },
  ];

  get columns() {
    const skipped = this.view === 'skipped';
    const columns = [
      { label: LABELS.COL_MEETING, fieldName: 'subject', wrapText: true },
      { label: LABELS.COL_DATE, fieldName: 'meetingDate', initialWidth: 120 },
      { label: skipped ? LABELS.COL_SKIPPED_REASON : LABELS.COL_REASON, fieldName: 'reason', wrapText: true },
      { label: LABELS.COL_ITEMS, fieldName: 'itemCount', type: 'number', initialWidth: 120 },
    ];
    if (!skipped) {
      columns.push({
        type: 'button',
        initialWidth: 110,
        typeAttributes: { label: LABELS.ASSIGN, name: 'assign', iconName: 'utility:link' },
      });
    }
    return columns;
  }

  get noItemsText() {
    return this.view === 'skipped' ? LABELS.NO_SKIPPED : LABELS.NO_ITEMS;
  }

  connectedCallback() {
    this.load();
  }

  get hasItems() {
    return this.meetings.length > 0;
  }

  get showNoItems() {
    return !this.loading && !this.error && !this.hasItems;
  }

  get assignHeading() {
    return formatLabel(LABELS.ASSIGN_HEADING, this.chosenMeeting?.subject ?? '');
  }

  get assignDisabled() {
    return this.assigning || !RECORD_ID.test(this.recordId.trim());
  }

  async load() {
    this.loading = true;
    try {
      const fetch = this.view === 'skipped' ? getSkippedMeetings : getUnassignedMeetings;
      this.meetings = (await fetch({ limitSize: 50 })) ?? [];
      this.error = undefined;
    } catch (error) {
      this.error = error;
      this.meetings = [];
    } finally {
      this.loading = false;
    }
  }

  handleRefresh() {
    this.load();
  }

  handleViewChange(event) {
    this.view = event.detail.value;
    this.chosenMeeting = undefined;
    this.load();
  }

  handleRowAction(event) {
    if (event.detail.action.name === 'assign') {
      this.chosenMeeting = event.detail.row;
      this.recordId = '';
    }
  }

  handleRecordIdChange(event) {
    this.recordId = event.detail.value ?? '';
  }

  handleCancel() {
    this.chosenMeeting = undefined;
  }

  async handleAssign() {
    if (this.assignDisabled) return;
    this.assigning = true;
    try {
      const written = await assignMeeting({
        meetingId: this.chosenMeeting.meetingId,
        transcriptId: this.chosenMeeting.transcriptId,
        recordId: this.recordId.trim(),
      });
      this.dispatchEvent(
        new ShowToastEvent({ title: formatLabel(LABELS.ASSIGNED, written), variant: 'success' }),
      );
      this.chosenMeeting = undefined;
      await this.load();
    } catch (error) {
      this.dispatchEvent(
        new ShowToastEvent({
          title: LABELS.ACTION_FAILED,
          message: reduceErrors(error).join(', '),
          variant: 'error',
        }),
      );
    } finally {
      this.assigning = false;
    }
  }
}
