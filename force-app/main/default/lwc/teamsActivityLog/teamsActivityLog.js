import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getActivityLog from '@salesforce/apex/TeamsActivityLogController.getActivityLog';
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
import REFRESH from '@salesforce/label/c.TB_Refresh';
import LOADING from '@salesforce/label/c.TB_Loading';

const DATE_TIME = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' };

/**
 * The integration's activity log: the newest Tasks created from Teams messages.
 */
export default class TeamsActivityLog extends LightningElement {
  /** How many Tasks to show (newest first). */
  @api limitSize = 50;

  labels = { ACTIVITY_HELP, LOAD_ERROR, NO_ACTIVITY, REFRESH, LOADING };
  rows = [];
  error;
  loaded = false;
  wiredResult;

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
    { label: COL_CREATED, fieldName: 'createdDate', type: 'date', typeAttributes: DATE_TIME },
    { label: COL_PRIORITY, fieldName: 'priority', initialWidth: 90 },
    { label: COL_STATUS, fieldName: 'status', initialWidth: 110 },
    {
      label: COL_MESSAGE,
      fieldName: 'messageUrl',
      type: 'url',
      initialWidth: 130,
      typeAttributes: { label: VIEW_IN_TEAMS, target: '_blank' },
    },
  ];

  @wire(getActivityLog, { limitSize: '$limitSize' })
  wiredLog(result) {
    this.wiredResult = result;
    if (result.data) {
      this.rows = result.data.map((task) => ({
        ...task,
        taskUrl: `/${task.id}`,
        whatUrl: task.whatId ? `/${task.whatId}` : undefined,
      }));
      this.error = undefined;
      this.loaded = true;
    } else if (result.error) {
      this.error = result.error;
      this.rows = [];
      this.loaded = true;
    }
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

  handleRefresh() {
    return refreshApex(this.wiredResult);
  }
}
