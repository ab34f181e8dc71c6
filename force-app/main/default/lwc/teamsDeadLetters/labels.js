import COL_WHAT_FAILED from '@salesforce/label/c.TB_ColWhatFailed';
import COL_ERROR from '@salesforce/label/c.TB_ColError';
import COL_FAILED_AT from '@salesforce/label/c.TB_ColFailedAt';
import COL_ATTEMPTS from '@salesforce/label/c.TB_ColAttempts';
import JOB_INBOUND from '@salesforce/label/c.TB_JobInbound';
import JOB_OUTBOUND from '@salesforce/label/c.TB_JobOutbound';
import JOB_TRANSCRIPT from '@salesforce/label/c.TB_JobTranscript';
import JOB_OTHER from '@salesforce/label/c.TB_JobOther';
import JOB_DESCRIPTION from '@salesforce/label/c.TB_JobDescription';
import JOB_MESSAGE_FROM from '@salesforce/label/c.TB_JobMessageFrom';
import JOB_MESSAGE_IN from '@salesforce/label/c.TB_JobMessageIn';
import JOB_HANDOFF from '@salesforce/label/c.TB_JobHandoff';
import JOB_NO_DETAILS from '@salesforce/label/c.TB_JobNoDetails';
import RETRY from '@salesforce/label/c.TB_Retry';
import RETRIED from '@salesforce/label/c.TB_Retried';
import ACTION_FAILED from '@salesforce/label/c.TB_ActionFailed';
import LOAD_ERROR from '@salesforce/label/c.TB_DeadLettersLoadError';
import NO_DEAD_LETTERS from '@salesforce/label/c.TB_NoDeadLetters';
import PAGE_SUMMARY from '@salesforce/label/c.TB_PageSummary';
import PREVIOUS from '@salesforce/label/c.TB_Previous';
import NEXT from '@salesforce/label/c.TB_Next';
import DEAD_LETTERS_HELP from '@salesforce/label/c.TB_DeadLettersHelp';

export default {
  COL_WHAT_FAILED,
  COL_ERROR,
  COL_FAILED_AT,
  COL_ATTEMPTS,
  JOB_INBOUND,
  JOB_OUTBOUND,
  JOB_TRANSCRIPT,
  JOB_OTHER,
  JOB_DESCRIPTION,
  JOB_MESSAGE_FROM,
  JOB_MESSAGE_IN,
  JOB_HANDOFF,
  JOB_NO_DETAILS,
  RETRY,
  RETRIED,
  ACTION_FAILED,
  LOAD_ERROR,
  NO_DEAD_LETTERS,
  PAGE_SUMMARY,
  PREVIOUS,
  NEXT,
  DEAD_LETTERS_HELP,
};
