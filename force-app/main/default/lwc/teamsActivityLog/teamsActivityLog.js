import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import getActivityLog from '@salesforce/apex/TeamsBridgeAdminController.getActivityLog';
import { formatDateTime, toTimestamp } from 'c/teamsFormat';
import COL_SUBJECT from '@salesforce/label/c.TB_ColSubject';
import COL_RELATED from '@salesforce/label/c.TB_ColRelatedTo';
import COL_OWNER from '@salesforce/label/c.TB_ColOwner';
import COL_CREATED from '@salesforce/label/c.TB_ColCreated';
import COL_PRIORITY from '@salesforce/label/c.TB_ColPriority';
import COL_STATUS from '@salesforce/label/c.TB_Status';
import COL_MESSAGE from '@salesforce/label/c.TB_ColTeamsMessage';
import VIEW_IN_TEAMS from '@salesforce/label/c.TB_ViewInTeams';
import ACTIVITY_HELP from '@salesforce/label/c.TB_ActivityHelp';
import LOAD_ERROR from '@salesforce/label/c.TB_ActivityLoadError';
import NO_ACTIVITY from '@salesforce/label/c.TB_NoActivity';

/**
 * The integration's activity log: the newest Tasks created from Teams messages.
 */
export default class TeamsActivityLog extends NavigationMixin(LightningElement) {
  /** How many Tasks to show (newest first). */
  @api limitSize = 50;

  labels = { ACTIVITY_HELP, LOAD_ERROR, NO_ACTIVITY };
  rows = [];
  error;
  loaded = false;
  wiredResult;
  /** Record id -> the URL Lightning gives its record page (NavigationMixin.GenerateUrl). */
  recordUrls = {};

  columns = [
    {
      label: COL_SUBJECT,
      fieldName: 'taskUrl',
      type: 'url',
      wrapText: true,
      typeAttributes: { label: { fieldName: 'subject' } },
    },
    {
      label: COL_RELATED,
      fieldName: 'whatUrl',
      type: 'url',
      typeAttributes: { label: { fieldName: 'whatName' } },
    },
    { label: COL_OWNER, fieldName: 'ownerName' },
    {
      label: COL_CREATED,
      fieldName: 'createdTime',
      type: 'relativeTime',
      initialWidth: 150,
      typeAttributes: { exact: { fieldName: 'createdExact' } },
    },
    { label: COL_PRIORITY, fieldName: 'priority', initialWidth: 90 },
    { label: COL_STATUS, fieldName: 'status', initialWidth: 110 },
    {
      label: COL_MESSAGE,
      fieldName: 'messageUrl',
      type: 'url',
      initialWidth: 150,
      typeAttributes: { label: VIEW_IN_TEAMS, target: '_blank' },
    },
  ];

  @wire(getActivityLog, { limitSize: '$limitSize' })
  wiredLog(result) {
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
    const ids = [...new Set(this.rows.flatMap((task) => [task.id, task.whatId]).filter((id) => !!id))];
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
    return this.rows.map((task) => ({
      ...task,
      taskUrl: this.recordUrls[task.id],
      whatUrl: task.whatId ? this.recordUrls[task.whatId] : undefined,
      createdTime: toTimestamp(task.createdDate),
      createdExact: formatDateTime(task.createdDate),
    }));
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

  handleRefresh() {
    return refreshApex(this.wiredResult);
  }
}
