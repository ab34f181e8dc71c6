import SEARCH from '@salesforce/label/c.TB_MappingsSearch';
import STATUS from '@salesforce/label/c.TB_Status';
import STATUS_ALL from '@salesforce/label/c.TB_StatusAll';
import STATUS_AUTO from '@salesforce/label/c.TB_StatusAuto';
import STATUS_MANUAL from '@salesforce/label/c.TB_StatusManual';
import STATUS_UNMAPPED from '@salesforce/label/c.TB_StatusUnmapped';
import SHOW_UNMAPPED from '@salesforce/label/c.TB_ShowUnmapped';
import AUTO_MATCH from '@salesforce/label/c.TB_AutoMatch';
import AUTO_MATCH_RESULT from '@salesforce/label/c.TB_AutoMatchResult';
import AUTO_MATCH_DONE from '@salesforce/label/c.TB_AutoMatchDone';
import COL_TEAMS_USER from '@salesforce/label/c.TB_ColTeamsUser';
import COL_ACTIONS from '@salesforce/label/c.TB_ColActions';
import TABLE_LABEL from '@salesforce/label/c.TB_TabMappings';
import MAP_USER from '@salesforce/label/c.TB_MapUser';
import NEVER from '@salesforce/label/c.TB_Never';
import COL_SF_USER from '@salesforce/label/c.TB_ColSalesforceUser';
import COL_LAST_ACTIVITY from '@salesforce/label/c.TB_ColLastActivity';
import CHANGE_USER from '@salesforce/label/c.TB_ChangeUser';
import EDIT_TITLE from '@salesforce/label/c.TB_EditMappingTitle';
import SAVE from '@salesforce/label/c.TB_Save';
import CANCEL from '@salesforce/label/c.TB_Cancel';
import CLEAR_MAPPING from '@salesforce/label/c.TB_ClearMapping';
import MAPPING_SAVED from '@salesforce/label/c.TB_MappingSaved';
import ACTION_FAILED from '@salesforce/label/c.TB_ActionFailed';
import LOAD_ERROR from '@salesforce/label/c.TB_MappingsLoadError';
import NO_MAPPINGS from '@salesforce/label/c.TB_NoMappings';
import LOADING from '@salesforce/label/c.TB_Loading';

export default {
  SEARCH,
  STATUS,
  STATUS_ALL,
  STATUS_AUTO,
  STATUS_MANUAL,
  STATUS_UNMAPPED,
  SHOW_UNMAPPED,
  AUTO_MATCH,
  AUTO_MATCH_RESULT,
  AUTO_MATCH_DONE,
  COL_TEAMS_USER,
  COL_ACTIONS,
  TABLE_LABEL,
  MAP_USER,
  NEVER,
  COL_SF_USER,
  COL_LAST_ACTIVITY,
  CHANGE_USER,
  EDIT_TITLE,
  SAVE,
  CANCEL,
  CLEAR_MAPPING,
  MAPPING_SAVED,
  ACTION_FAILED,
  LOAD_ERROR,
  NO_MAPPINGS,
  LOADING,
};
