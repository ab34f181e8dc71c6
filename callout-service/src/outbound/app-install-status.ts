/**
 * Table team_app_installs (migration 120): each linked team as the app installer last surveyed it. Readiness
 * and /v1/status read from here, so every replica reports the same teams without calling Salesforce.
 */
import type { TeamsAppDetail } from '../ops/health.ts';
import type { Pool } from '../store/database.ts';

export interface LinkedTeam {
  teamId: string;
  teamName: string | null;
  /** At least one of its linked channels posts as the bot (Workflows channels do not need the app). */
  needsBot: boolean;
}

export interface TeamWithoutApp {
  teamId: string;
  teamName: string | null;
  /** What the last install attempt through Graph answered, or null when none was made. */
  lastOutcome: string | null;
  nextAttemptAt: Date | null;
  attempts: number;
}

/** Records the survey: these teams are linked now, every other team is not. */
export async function saveSurvey(pool: Pool, teams: LinkedTeam[]): Promise<void> {
  await pool.query(
    `WITH seen AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[]) AS s(team_id, team_name, needs_bot))
     INSERT INTO team_app_installs (team_id, team_name, needs_bot, linked, seen_at)
     SELECT team_id, team_name, needs_bot, true, now() FROM seen
     ON CONFLICT (team_id) DO UPDATE SET team_name = COALESCE(EXCLUDED.team_name, team_app_installs.team_name),
       needs_bot = EXCLUDED.needs_bot, linked = true, seen_at = now()`,
    [teams.map((t) => t.teamId), teams.map((t) => t.teamName), teams.map((t) => t.needsBot)],
  );
  await pool.query('UPDATE team_app_installs SET linked = false WHERE NOT (team_id = ANY($1::text[]))', [
    teams.map((t) => t.teamId),
  ]);
}

/** Linked teams where posting as the bot would fail: the app is not installed (no installation event). */
export async function teamsWithoutApp(pool: Pool): Promise<TeamWithoutApp[]> {
  const { rows } = await pool.query<{
    team_id: string;
    team_name: string | null;
    last_outcome: string | null;
    next_attempt_at: Date | null;
    attempts: number;
  }>(
    `SELECT t.team_id, t.team_name, t.last_outcome, t.next_attempt_at, t.attempts
       FROM team_app_installs t LEFT JOIN bot_installations b ON b.team_id = t.team_id
      WHERE t.linked AND t.needs_bot AND b.installed IS NOT TRUE
      ORDER BY t.team_name NULLS LAST, t.team_id`,
  );
  return rows.map((r) => ({
    teamId: r.team_id,
    teamName: r.team_name,
    lastOutcome: r.last_outcome,
    nextAttemptAt: r.next_attempt_at,
    attempts: r.attempts,
  }));
}

/** Whether any survey ran yet (readiness says "not checked yet" rather than "all installed"). */
export async function surveyedAt(pool: Pool): Promise<Date | null> {
  const { rows } = await pool.query<{ at: Date | null }>('SELECT max(seen_at) AS at FROM team_app_installs');
  return rows[0]?.at ?? null;
}

/** Takes the team's install attempt if it is due, for `leaseMs` (two replicas never both try). */
export async function claimInstallAttempt(pool: Pool, teamId: string, leaseMs: number): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE team_app_installs SET next_attempt_at = now() + $2 * interval '1 millisecond'
      WHERE team_id = $1 AND next_attempt_at <= now()`,
    [teamId, leaseMs],
  );
  return (rowCount ?? 0) > 0;
}

export async function recordInstallAttempt(
  pool: Pool,
  teamId: string,
  outcome: { message: string; failed: boolean; retryInMs: number },
): Promise<void> {
  await pool.query(
    `UPDATE team_app_installs SET last_outcome = $2, last_attempt_at = now(),
            attempts = CASE WHEN $3 THEN attempts + 1 ELSE 0 END,
            next_attempt_at = now() + $4 * interval '1 millisecond'
      WHERE team_id = $1`,
    [teamId, outcome.message.slice(0, 1000), outcome.failed, Math.max(0, Math.round(outcome.retryInMs))],
  );
}

export async function installAttempts(pool: Pool, teamId: string): Promise<number> {
  const { rows } = await pool.query<{ attempts: number }>(
    'SELECT attempts FROM team_app_installs WHERE team_id = $1',
    [teamId],
  );
  return rows[0]?.attempts ?? 0;
}

/** The readiness detail: linked teams without the app, by name where known, else by id. */
export async function teamsAppReadiness(pool: Pool): Promise<TeamsAppDetail> {
  const [missing, at] = await Promise.all([teamsWithoutApp(pool), surveyedAt(pool)]);
  return {
    ok: missing.length === 0,
    checked: at !== null,
    teamsWithoutApp: missing.map((t) => t.teamName ?? t.teamId),
  };
}
