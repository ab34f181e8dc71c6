import COL_CHANNEL from '@salesforce/label/c.TB_ColChannel';
import COL_RECORD from '@salesforce/label/c.TB_ColRecord';
import COL_STATUS from '@salesforce/label/c.TB_Status';
import COL_EXPIRES from '@salesforce/label/c.TB_ColExpires';
import COL_LAST_NOTIFICATION from '@salesforce/label/c.TB_ColLastNotification';
import COL_LAST_ERROR from '@salesforce/label/c.TB_ColLastError';
import CHANNEL_IN_TEAM from '@salesforce/label/c.TB_ChannelSummary';
import NAMESAKE_CHANNEL from '@salesforce/label/c.TB_NamesakeChannel';
import HEALTH_ACTIVE from '@salesforce/label/c.TB_HealthActive';
import HEALTH_PAUSED from '@salesforce/label/c.TB_LinkPaused';
import HEALTH_NO_SUBSCRIPTION from '@salesforce/label/c.TB_HealthNoSubscription';
import HEALTH_FAILING from '@salesforce/label/c.TB_HealthFailing';
import HEALTH_SILENT from '@salesforce/label/c.TB_HealthSilent';
import HEALTH_REMOVED from '@salesforce/label/c.TB_HealthRemoved';
import HEALTH_EXPIRED from '@salesforce/label/c.TB_HealthExpired';
import NEVER from '@salesforce/label/c.TB_Never';
import NO_SUBSCRIPTION from '@salesforce/label/c.TB_NoSubscription';
import RENEW from '@salesforce/label/c.TB_Renew';
import RENEWED from '@salesforce/label/c.TB_Renewed';
import ACTION_FAILED from '@salesforce/label/c.TB_ActionFailed';
import LOAD_ERROR from '@salesforce/label/c.TB_ChannelHealthLoadError';
import NO_LINKS from '@salesforce/label/c.TB_NoChannelLinks';
import SUMMARY from '@salesforce/label/c.TB_ChannelHealthSummary';
import LINKED_ONE from '@salesforce/label/c.TB_ChannelsLinkedOne';
import LINKED_OTHER from '@salesforce/label/c.TB_ChannelsLinkedOther';
import ATTENTION_ONE from '@salesforce/label/c.TB_NeedAttentionOne';
import ATTENTION_OTHER from '@salesforce/label/c.TB_NeedAttentionOther';

export default {
  COL_CHANNEL,
  COL_RECORD,
  COL_STATUS,
  COL_EXPIRES,
  COL_LAST_NOTIFICATION,
  COL_LAST_ERROR,
  CHANNEL_IN_TEAM,
  NAMESAKE_CHANNEL,
  HEALTH_ACTIVE,
  HEALTH_PAUSED,
  HEALTH_NO_SUBSCRIPTION,
  HEALTH_FAILING,
  HEALTH_SILENT,
  HEALTH_REMOVED,
  HEALTH_EXPIRED,
  NEVER,
  NO_SUBSCRIPTION,
  RENEW,
  RENEWED,
  ACTION_FAILED,
  LOAD_ERROR,
  NO_LINKS,
  SUMMARY,
  LINKED_ONE,
  LINKED_OTHER,
  ATTENTION_ONE,
  ATTENTION_OTHER,
};
