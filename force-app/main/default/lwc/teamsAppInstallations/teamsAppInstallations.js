import { LightningElement, api } from 'lwc';
import HELP from '@salesforce/label/c.TB_TeamsAppHelp';
import ALL_INSTALLED from '@salesforce/label/c.TB_TeamsAppEverywhere';
import HINT from '@salesforce/label/c.TB_TeamsAppHint';
import UNKNOWN from '@salesforce/label/c.TB_TeamsAppUnknown';
import PERMISSIONS from '@salesforce/label/c.TB_PermissionsTitle';
import TENANT_WIDE from '@salesforce/label/c.TB_PermissionsTenantWide';
import TEAM_OWNER from '@salesforce/label/c.TB_PermissionsTeamOwner';
import USE_READ_MESSAGES from '@salesforce/label/c.TB_PermUseReadMessages';
import USE_LIST_TEAMS from '@salesforce/label/c.TB_PermUseListTeams';
import USE_CREATE_CHANNEL from '@salesforce/label/c.TB_PermUseCreateChannel';
import USE_USERS from '@salesforce/label/c.TB_PermUseUsers';
import USE_TRANSCRIPTS from '@salesforce/label/c.TB_PermUseTranscripts';
import USE_NOTIFY from '@salesforce/label/c.TB_PermUseNotify';
import USE_INSTALL from '@salesforce/label/c.TB_PermUseInstall';
import USE_CATALOG from '@salesforce/label/c.TB_PermUseCatalog';
import USE_RSC_READ from '@salesforce/label/c.TB_PermUseRscRead';
import USE_RSC_SEND from '@salesforce/label/c.TB_PermUseRscSend';
import USE_RSC_CHANNELS from '@salesforce/label/c.TB_PermUseRscChannels';
import USE_RSC_NOTIFY from '@salesforce/label/c.TB_PermUseRscNotify';

// Permission names are Microsoft's identifiers (not translated). Application permissions an admin consents
// to for the whole tenant on the app registration; RSC permissions from the Teams app manifest, which a team
// owner grants for that team when the app is added
// (https://learn.microsoft.com/en-us/microsoftteams/platform/graph-api/rsc/resource-specific-consent).
export const TENANT_WIDE_PERMISSIONS = [
  { name: 'ChannelMessage.Read.All', use: USE_READ_MESSAGES },
  { name: 'Team.ReadBasic.All, Channel.ReadBasic.All', use: USE_LIST_TEAMS },
  { name: 'Channel.Create', use: USE_CREATE_CHANNEL },
  { name: 'User.Read.All', use: USE_USERS },
  { name: 'OnlineMeetings.Read.All, OnlineMeetingTranscript.Read.All', use: USE_TRANSCRIPTS },
  { name: 'TeamsActivity.Send', use: USE_NOTIFY },
  { name: 'TeamsAppInstallation.ReadWriteAndConsentSelfForTeam.All', use: USE_INSTALL },
  { name: 'AppCatalog.Read.All', use: USE_CATALOG },
];

export const TEAM_OWNER_PERMISSIONS = [
  { name: 'ChannelMessage.Read.Group', use: USE_RSC_READ },
  { name: 'ChannelMessage.Send.Group', use: USE_RSC_SEND },
  { name: 'ChannelSettings.Read.Group', use: USE_RSC_CHANNELS },
  { name: 'TeamsActivity.Send.Group', use: USE_RSC_NOTIFY },
];

/**
 * The linked teams where the Teams app is not installed (cards for their channels cannot be posted as the
 * bot), with what to do, and which permissions are granted tenant-wide and which by a team owner.
 */
export default class TeamsAppInstallations extends LightningElement {
  labels = { HELP, ALL_INSTALLED, HINT, UNKNOWN, PERMISSIONS, TENANT_WIDE, TEAM_OWNER };
  tenantWide = TENANT_WIDE_PERMISSIONS;
  teamOwner = TEAM_OWNER_PERMISSIONS;

  /** As the service reports them: `{ teamId, teamName, lastInstallAttempt }`; null when it could not say. */
  @api teams;
  @api loading = false;

  get rows() {
    return (this.teams ?? []).map((team) => ({
      teamId: team.teamId,
      label: team.teamName || team.teamId,
      lastInstallAttempt: team.lastInstallAttempt,
    }));
  }

  get hasTeams() {
    return this.rows.length > 0;
  }

  get unknown() {
    return !this.loading && !Array.isArray(this.teams);
  }

  get isEmpty() {
    return !this.loading && Array.isArray(this.teams) && this.teams.length === 0;
  }
}
