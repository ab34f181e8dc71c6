/**
 * What the Teams app asks for, as the service needs to know it. The manifest's resource-specific consent
 * (teams-app/manifest.template.json `authorization.permissions.resourceSpecific`; a test keeps the two
 * equal): a team owner grants them when the app is added to a team, and an install through Graph must
 * consent to exactly these (`consentedPermissionSet`).
 */
export const MANIFEST_RSC_PERMISSIONS = [
  { permissionValue: 'ChannelMessage.Read.Group', permissionType: 'application' },
  { permissionValue: 'ChannelMessage.Send.Group', permissionType: 'application' },
  { permissionValue: 'ChannelSettings.Read.Group', permissionType: 'application' },
  { permissionValue: 'TeamsActivity.Send.Group', permissionType: 'application' },
] as const;

/**
 * The application permission the service installs the app with. `TeamsAppInstallation.ReadWriteSelfForTeam.All`
 * would be narrower, but Graph does not let it install an app that asks for RSC permissions
 * (https://learn.microsoft.com/en-us/graph/api/team-post-installedapps, note 1); the *AndConsent* one still
 * installs only the app itself.
 */
export const INSTALL_PERMISSION = 'TeamsAppInstallation.ReadWriteAndConsentSelfForTeam.All';
/** Needed only to find the app's catalog id by its manifest id (TEAMS_APP_CATALOG_ID unset). */
export const CATALOG_PERMISSION = 'AppCatalog.Read.All';
