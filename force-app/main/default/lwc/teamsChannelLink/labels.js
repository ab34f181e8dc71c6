import TEAM from '@salesforce/label/c.TB_Team';
import TEAM_PLACEHOLDER from '@salesforce/label/c.TB_TeamPlaceholder';
import CHANNEL from '@salesforce/label/c.TB_Channel';
import FILTER_CHANNELS from '@salesforce/label/c.TB_FilterChannels';
import NO_CHANNELS from '@salesforce/label/c.TB_NoChannels';
import MODE from '@salesforce/label/c.TB_LinkMode';
import MODE_EXISTING from '@salesforce/label/c.TB_LinkModeExisting';
import MODE_CREATE from '@salesforce/label/c.TB_LinkModeCreate';
import NEW_CHANNEL_NAME from '@salesforce/label/c.TB_NewChannelName';
import LINK_CHANNEL from '@salesforce/label/c.TB_LinkChannel';
import CREATE_CHANNEL from '@salesforce/label/c.TB_CreateChannel';
import UNLINK from '@salesforce/label/c.TB_Unlink';
import LINKED_TO from '@salesforce/label/c.TB_LinkedTo';
import UNLINK_CONFIRM_TITLE from '@salesforce/label/c.TB_UnlinkConfirmTitle';
import UNLINK_CONFIRM_MESSAGE from '@salesforce/label/c.TB_UnlinkConfirmMessage';
import LINKED_TITLE from '@salesforce/label/c.TB_LinkedTitle';
import CREATED_TITLE from '@salesforce/label/c.TB_CreatedTitle';
import UNLINKED_TITLE from '@salesforce/label/c.TB_UnlinkedTitle';
import LINK_FAILED from '@salesforce/label/c.TB_LinkFailed';
import TEAMS_LOAD_ERROR from '@salesforce/label/c.TB_TeamsLoadError';
import CHANNELS_LOAD_ERROR from '@salesforce/label/c.TB_ChannelsLoadError';
import LOADING from '@salesforce/label/c.TB_Loading';
import PRIVATE_CHANNEL from '@salesforce/label/c.TB_PrivateChannel';

export default {
  TEAM,
  TEAM_PLACEHOLDER,
  CHANNEL,
  FILTER_CHANNELS,
  NO_CHANNELS,
  MODE,
  MODE_EXISTING,
  MODE_CREATE,
  NEW_CHANNEL_NAME,
  LINK_CHANNEL,
  CREATE_CHANNEL,
  UNLINK,
  LINKED_TO,
  UNLINK_CONFIRM_TITLE,
  UNLINK_CONFIRM_MESSAGE,
  LINKED_TITLE,
  CREATED_TITLE,
  UNLINKED_TITLE,
  LINK_FAILED,
  TEAMS_LOAD_ERROR,
  CHANNELS_LOAD_ERROR,
  LOADING,
  PRIVATE_CHANNEL,
};
