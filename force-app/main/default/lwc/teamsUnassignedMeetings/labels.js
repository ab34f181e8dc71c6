import HELP from '@salesforce/label/c.TB_UnassignedHelp';
import LOAD_ERROR from '@salesforce/label/c.TB_UnassignedLoadError';
import NO_ITEMS from '@salesforce/label/c.TB_NoUnassignedMeetings';
import COL_MEETING from '@salesforce/label/c.TB_ColMeeting';
import COL_DATE from '@salesforce/label/c.TB_ColMeetingDate';
import COL_REASON from '@salesforce/label/c.TB_ColUnassignedReason';
import COL_ITEMS from '@salesforce/label/c.TB_ColActionItems';
import ASSIGN from '@salesforce/label/c.TB_Assign';
import RECORD_ID from '@salesforce/label/c.TB_AssignRecordId';
import ASSIGN_HEADING from '@salesforce/label/c.TB_AssignHeading';
import ASSIGNED from '@salesforce/label/c.TB_AssignedToast';
import CANCEL from '@salesforce/label/c.TB_Cancel';
import REFRESH from '@salesforce/label/c.TB_Refresh';
import LOADING from '@salesforce/label/c.TB_Loading';
import ACTION_FAILED from '@salesforce/label/c.TB_ActionFailed';
import SHOW from '@salesforce/label/c.TB_MeetingsShow';
import VIEW_UNASSIGNED from '@salesforce/label/c.TB_MeetingsUnassigned';
import VIEW_SKIPPED from '@salesforce/label/c.TB_MeetingsSkipped';
import NO_SKIPPED from '@salesforce/label/c.TB_NoSkippedMeetings';
import COL_SKIPPED_REASON from '@salesforce/label/c.TB_ColSkippedReason';

export default {
  HELP,
  LOAD_ERROR,
  NO_ITEMS,
  COL_MEETING,
  COL_DATE,
  COL_REASON,
  COL_ITEMS,
  ASSIGN,
  RECORD_ID,
  ASSIGN_HEADING,
  ASSIGNED,
  CANCEL,
  REFRESH,
  LOADING,
  ACTION_FAILED,
  SHOW,
  VIEW_UNASSIGNED,
  VIEW_SKIPPED,
  NO_SKIPPED,
  COL_SKIPPED_REASON,
};
