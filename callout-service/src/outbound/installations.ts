/** Conversation references of the teams the bot is installed in, kept from its installation events. */
import type { Pool } from '../store/database.ts';

export interface Installation {
  teamId: string;
  teamThreadId: string;
  serviceUrl: string;
  tenantId: string | null;
  installed: boolean;
}

export async function saveInstallation(pool: Pool, i: Installation): Promise<void> {
  await pool.query(
    `INSERT INTO bot_installations (team_id, team_thread_id, service_url, tenant_id, installed, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (team_id) DO UPDATE SET team_thread_id = EXCLUDED.team_thread_id,
       service_url = EXCLUDED.service_url, tenant_id = EXCLUDED.tenant_id, installed = EXCLUDED.installed,
       updated_at = now()`,
    [i.teamId, i.teamThreadId, i.serviceUrl, i.tenantId, i.installed],
  );
}

export async function getInstallation(pool: Pool, teamId: string): Promise<Installation | undefined> {
  const { rows } = await pool.query<{
    team_id: string;
    team_thread_id: string;
    service_url: string;
    tenant_id: string | null;
    installed: boolean;
  }>('SELECT * FROM bot_installations WHERE team_id = $1', [teamId]);
  const r = rows[0];
  return r
    ? {
        teamId: r.team_id,
        teamThreadId: r.team_thread_id,
        serviceUrl: r.service_url,
        tenantId: r.tenant_id,
        installed: r.installed,
      }
    : undefined;
}

export async function markNotInstalled(pool: Pool, teamId: string): Promise<void> {
  await pool.query('UPDATE bot_installations SET installed = false, updated_at = now() WHERE team_id = $1', [
    teamId,
  ]);
}

/**
 * Graph says the app is in the team (409) without the service having its installation event: record it as
 * installed with the default service URL, keeping whatever an installation event already recorded (an event
 * arriving meanwhile is never overwritten by this weaker knowledge).
 */
export async function markInstalledWithoutEvent(
  pool: Pool,
  teamId: string,
  serviceUrl: string,
): Promise<void> {
  await pool.query(
    `INSERT INTO bot_installations (team_id, team_thread_id, service_url, tenant_id, installed, updated_at)
     VALUES ($1, '', $2, NULL, true, now())
     ON CONFLICT (team_id) DO UPDATE SET installed = true, updated_at = now()`,
    [teamId, serviceUrl],
  );
}
