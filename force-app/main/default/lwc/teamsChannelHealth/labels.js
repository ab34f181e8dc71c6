import COL_CHANNEL from '@salesforce/label/c.TB_ColChannel';
import COL_RECORD from '@salesforce/label/c.TB_ColRecord';
import COL_TEAM from '@salesforce/label/c.TB_Team';
import COL_LINK_STATUS from '@salesforce/label/c.TB_ColLinkStatus';
import COL_SUBSCRIPTION_STATUS from '@salesforce/label/c.TB_ColSubscriptionStatus';
import COL_EXPIRATION from '@salesforce/label/c.TB_ColExpiration';
import COL_EXPIRES from '@salesforce/label/c.TB_ColExpires';
import COL_LAST_NOTIFICATION from '@salesforce/label/c.TB_ColLastNotification';
import COL_LAST_ERROR from '@salesforce/label/c.TB_ColLastError';
import RENEW from '@salesforce/label/c.TB_Renew';
import RENEWED from '@salesforce/label/c.TB_Renewed';
import ACTION_FAILED from '@salesforce/label/c.TB_ActionFailed';
import LOAD_ERROR from '@salesforce/label/c.TB_ChannelHealthLoadError';
import NO_LINKS from '@salesforce/label/c.TB_NoChannelLinks';
import NO_SUBSCRIPTION from '@salesforce/label/c.TB_NoSubscription';
import REFRESH from '@salesforce/label/c.TB_Refresh';
import LOADING from '@salesforce/label/c.TB_Loading';
import SUMMARY from '@salesforce/label/c.TB_ChannelHealthSummary';

export default {
  COL_CHANNEL,
  COL_RECORD,
  COL_TEAM,
  COL_LINK_STATUS,
  COL_SUBSCRIPTION_STATUS,
  COL_EXPIRATION,
  COL_EXPIRES,
  COL_LAST_NOTIFICATION,
  COL_LAST_ERROR,
  RENEW,
  RENEWED,
  ACTION_FAILED,
  LOAD_ERROR,
  NO_LINKS,
  NO_SUBSCRIPTION,
  REFRESH,
  LOADING,
  SUMMARY,
};
