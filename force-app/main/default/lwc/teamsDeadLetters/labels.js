import COL_QUEUE from '@salesforce/label/c.TB_ColQueue';
import COL_SUMMARY from '@salesforce/label/c.TB_ColSummary';
import COL_ERROR from '@salesforce/label/c.TB_ColError';
import COL_FAILED_AT from '@salesforce/label/c.TB_ColFailedAt';
import COL_ATTEMPTS from '@salesforce/label/c.TB_ColAttempts';
import RETRY from '@salesforce/label/c.TB_Retry';
import RETRIED from '@salesforce/label/c.TB_Retried';
import ACTION_FAILED from '@salesforce/label/c.TB_ActionFailed';
import LOAD_ERROR from '@salesforce/label/c.TB_DeadLettersLoadError';
import NO_DEAD_LETTERS from '@salesforce/label/c.TB_NoDeadLetters';
import PAGE_SUMMARY from '@salesforce/label/c.TB_PageSummary';
import PREVIOUS from '@salesforce/label/c.TB_Previous';
import NEXT from '@salesforce/label/c.TB_Next';
import REFRESH from '@salesforce/label/c.TB_Refresh';
import LOADING from '@salesforce/label/c.TB_Loading';
import DEAD_LETTERS_HELP from '@salesforce/label/c.TB_DeadLettersHelp';

export default {
  COL_QUEUE,
  COL_SUMMARY,
  COL_ERROR,
  COL_FAILED_AT,
  COL_ATTEMPTS,
  RETRY,
  RETRIED,
  ACTION_FAILED,
  LOAD_ERROR,
  NO_DEAD_LETTERS,
  PAGE_SUMMARY,
  PREVIOUS,
  NEXT,
  REFRESH,
  LOADING,
  DEAD_LETTERS_HELP,
};
