import HELP from '@salesforce/label/c.TB_OutboundFailuresHelp';
import NONE from '@salesforce/label/c.TB_NoOutboundFailures';
import LOAD_ERROR from '@salesforce/label/c.TB_OutboundFailuresLoadError';
import COL_REASON from '@salesforce/label/c.TB_ColReason';
import COL_CARDS from '@salesforce/label/c.TB_ColCards';
import COL_STATUS from '@salesforce/label/c.TB_ColStatus';
import COL_FAILED_AT from '@salesforce/label/c.TB_ColFailedAt';
import COL_ATTEMPTS from '@salesforce/label/c.TB_ColAttempts';
import RETRY from '@salesforce/label/c.TB_Retry';
import RETRIED from '@salesforce/label/c.TB_Retried';
import ACTION_FAILED from '@salesforce/label/c.TB_ActionFailed';
import REFRESH from '@salesforce/label/c.TB_Refresh';
import LOADING from '@salesforce/label/c.TB_Loading';

export default {
  HELP,
  NONE,
  LOAD_ERROR,
  COL_REASON,
  COL_CARDS,
  COL_STATUS,
  COL_FAILED_AT,
  COL_ATTEMPTS,
  RETRY,
  RETRIED,
  ACTION_FAILED,
  REFRESH,
  LOADING,
};
