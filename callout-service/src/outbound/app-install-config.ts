/**
 * Installing the Teams app in linked teams through Graph (app-installer.ts), from the environment. Off unless
 * the app can be named: its id in the org's app catalog (TEAMS_APP_CATALOG_ID, least privilege) or its
 * manifest id (TEAMS_APP_ID, looked up in the catalog: needs AppCatalog.Read.All).
 */
export interface AppInstallConfig {
  /** Install through Graph; false: only survey which linked teams lack the app (readiness, admin page). */
  enabled: boolean;
  catalogId: string | undefined;
  manifestId: string | undefined;
  /** How often linked teams are surveyed (and installs due are tried). */
  intervalMs: number;
  /** First retry delay of a failed install in one team (doubling, at most six hours). */
  retryBaseMs: number;
}

export class AppInstallConfigError extends Error {}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function seconds(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 1000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > 86_400) {
    throw new AppInstallConfigError(`${name} must be a number of seconds from ${min} to 86400`);
  }
  return Math.round(value * 1000);
}

export function loadAppInstallConfig(
  env: Record<string, string | undefined> = process.env,
): AppInstallConfig {
  const catalogId = env.TEAMS_APP_CATALOG_ID || undefined;
  const manifestId = env.TEAMS_APP_ID || undefined;
  for (const [name, value] of [
    ['TEAMS_APP_CATALOG_ID', catalogId],
    ['TEAMS_APP_ID', manifestId],
  ] as const) {
    if (value && !GUID.test(value)) throw new AppInstallConfigError(`${name} must be a GUID: got '${value}'`);
  }
  return {
    enabled: (env.TEAMS_APP_INSTALL ?? 'true') !== 'false' && !!(catalogId || manifestId),
    catalogId,
    manifestId,
    intervalMs: seconds(env, 'TEAMS_APP_INSTALL_INTERVAL_SECONDS', 300, 0.05),
    retryBaseMs: seconds(env, 'TEAMS_APP_INSTALL_RETRY_SECONDS', 60, 0),
  };
}
