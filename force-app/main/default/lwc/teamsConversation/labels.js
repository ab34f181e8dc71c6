import TITLE from '@salesforce/label/c.TB_ConversationTitle';
import OPEN_IN_TEAMS from '@salesforce/label/c.TB_OpenInTeams';
import REFRESH from '@salesforce/label/c.TB_Refresh';
import LOADING from '@salesforce/label/c.TB_Loading';
import CONVERSATION_LOAD_ERROR from '@salesforce/label/c.TB_ConversationLoadError';
import LINK_LOAD_ERROR from '@salesforce/label/c.TB_LinkLoadError';
import NOT_LINKED from '@salesforce/label/c.TB_NotLinked';
import ASK_ADMIN_TO_LINK from '@salesforce/label/c.TB_AskAdminToLink';
import CHANNEL_SUMMARY from '@salesforce/label/c.TB_ChannelSummary';
import CHANGE_CHANNEL from '@salesforce/label/c.TB_ChangeChannel';
import DONE from '@salesforce/label/c.TB_Done';
import NO_MESSAGES from '@salesforce/label/c.TB_NoMessages';
import LOAD_OLDER from '@salesforce/label/c.TB_LoadOlder';
import NEW_MESSAGES_ONE from '@salesforce/label/c.TB_NewMessagesOne';
import NEW_MESSAGES_OTHER from '@salesforce/label/c.TB_NewMessagesOther';
import LIVE_UPDATES_PAUSED from '@salesforce/label/c.TB_LiveUpdatesPaused';
import LINK_PAUSED from '@salesforce/label/c.TB_LinkPaused';
import MESSAGES from '@salesforce/label/c.TB_Messages';
import NO_RECORD from '@salesforce/label/c.TB_NoRecord';

export default {
  TITLE,
  OPEN_IN_TEAMS,
  REFRESH,
  LOADING,
  CONVERSATION_LOAD_ERROR,
  LINK_LOAD_ERROR,
  NOT_LINKED,
  ASK_ADMIN_TO_LINK,
  CHANNEL_SUMMARY,
  CHANGE_CHANNEL,
  DONE,
  NO_MESSAGES,
  LOAD_OLDER,
  NEW_MESSAGES_ONE,
  NEW_MESSAGES_OTHER,
  LIVE_UPDATES_PAUSED,
  LINK_PAUSED,
  MESSAGES,
  NO_RECORD,
};
