/**
 * Installs the Teams app (and so its bot) in every linked team that lacks it, through Graph, so that an admin
 * need not add it team by team: `POST /teams/{id}/installedApps` binding the app's catalog entry and
 * consenting to the manifest's RSC permissions. Teams then delivers the bot its installation events, which
 * keep the team's conversation reference (bot.ts) exactly as when a team owner adds the app.
 *
 * Runs on a timer (every replica; a per-team claim in PostgreSQL keeps two from trying the same team) and when
 * the worker meets a team without the app; each team backs off on its own after a failure, so items never
 * cause install calls. Graph's answers, after https://learn.microsoft.com/en-us/graph/api/team-post-installedapps:
 * 200 installed; 409 already installed; 403 consent missing; 404 the app is not in the org's catalog.
 * With install switched off (no TEAMS_APP_ID / TEAMS_APP_CATALOG_ID) the survey still runs: readiness and the
 * admin page name the teams without the app.
 */
import type { GraphAdapter } from '../graph/client.ts';
import { graphStatus } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import type { SalesforceClient } from '../salesforce/connection.ts';
import type { Pool } from '../store/database.ts';
import type { AppInstallConfig } from './app-install-config.ts';
import {
  claimInstallAttempt,
  installAttempts,
  recordInstallAttempt,
  saveSurvey,
  type LinkedTeam,
} from './app-install-status.ts';
import { channelPosting } from './channel-posting.ts';
import { getInstallation, markInstalledWithoutEvent } from './installations.ts';
import type { OutboundConfig } from './outbound-config.ts';
import { CATALOG_PERMISSION, INSTALL_PERMISSION, MANIFEST_RSC_PERMISSIONS } from './teams-app-permissions.ts';

const MAX_BACKOFF_MS = 6 * 3600_000;
/** How long a claimed attempt is reserved for this replica before another may try. */
const CLAIM_MS = 60_000;

interface Deps {
  pool: Pool;
  graph: GraphAdapter;
  salesforce: SalesforceClient;
  config: OutboundConfig;
  install: AppInstallConfig;
  logger: Logger;
}

type Attempt = { message: string; failed: boolean; forgetCatalogId?: boolean };

export class AppInstaller {
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private catalogId: string | undefined;
  private stopped = true;
  private lastPassAt = 0;

  constructor(private readonly deps: Deps) {
    this.catalogId = deps.install.catalogId;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.pass(), this.deps.install.intervalMs);
    this.timer.unref();
    this.wake();
  }

  /**
   * A team without the app was met (a new link, say): survey soon rather than at the next interval, but not
   * more often than every 30 s (or the interval, if shorter), however many items meet it.
   */
  wake(): void {
    if (this.stopped || this.soon) return;
    if (Date.now() - this.lastPassAt < Math.min(this.deps.install.intervalMs, 30_000)) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.pass();
    }, 200);
    this.soon.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.soon = undefined;
    await this.running;
  }

  private async pass(): Promise<void> {
    if (this.running || this.stopped) return;
    this.lastPassAt = Date.now();
    this.running = this.reconcile()
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'teams app survey failed; trying again later'))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }

  /** One survey of the linked teams, then an install attempt in each due team without the app. */
  async reconcile(): Promise<void> {
    const teams = await this.linkedTeams();
    await saveSurvey(this.deps.pool, teams);
    if (!this.deps.install.enabled) return;
    for (const team of teams) {
      if (!team.needsBot || (await getInstallation(this.deps.pool, team.teamId))?.installed) continue;
      if (!(await claimInstallAttempt(this.deps.pool, team.teamId, CLAIM_MS))) continue;
      const attempt = await this.install(team.teamId);
      if (attempt.forgetCatalogId) this.catalogId = this.deps.install.catalogId;
      const attempts = (await installAttempts(this.deps.pool, team.teamId)) + 1;
      // After a request Graph accepted, the installation event should follow: look again after one interval.
      const retryInMs = attempt.failed
        ? Math.min(MAX_BACKOFF_MS, this.deps.install.retryBaseMs * 2 ** (attempts - 1))
        : this.deps.install.intervalMs;
      await recordInstallAttempt(this.deps.pool, team.teamId, { ...attempt, retryInMs });
      this.deps.logger[attempt.failed ? 'warn' : 'info'](
        { teamId: team.teamId, outcome: attempt.message },
        'teams app install through Graph',
      );
    }
  }

  /** Active channel links grouped by team (plus the pipeline channel), with whether the bot is needed. */
  private async linkedTeams(): Promise<LinkedTeam[]> {
    const { salesforce, config, pool } = this.deps;
    const rows = await salesforce.query(
      `SELECT Team_Id__c, Team_Name__c, Channel_Id__c FROM Teams_Channel_Link__c WHERE Status__c = 'Active'`,
      'linkedTeams',
    );
    const channels = rows
      .filter((r) => typeof r.Team_Id__c === 'string' && typeof r.Channel_Id__c === 'string')
      .map((r) => ({
        teamId: String(r.Team_Id__c),
        teamName: typeof r.Team_Name__c === 'string' && r.Team_Name__c ? r.Team_Name__c : null,
        channelId: String(r.Channel_Id__c),
      }));
    if (config.pipeline) channels.push({ ...config.pipeline, teamName: null });
    const teams = new Map<string, LinkedTeam>();
    for (const c of channels) {
      const mode = await channelPosting(pool, config, c).then(
        (p) => p.mode,
        () => 'bot' as const,
      );
      const team = teams.get(c.teamId) ?? { teamId: c.teamId, teamName: null, needsBot: false };
      team.teamName ??= c.teamName;
      team.needsBot ||= mode === 'bot';
      teams.set(c.teamId, team);
    }
    return [...teams.values()];
  }

  /** The app's id in the org's catalog: configured, or found by the manifest id (AppCatalog.Read.All). */
  private async findCatalogId(): Promise<string | Attempt> {
    if (this.catalogId) return this.catalogId;
    const manifestId = this.deps.install.manifestId!;
    try {
      const found = (await this.deps.graph.client
        .api('/appCatalogs/teamsApps')
        .filter(`externalId eq '${manifestId}'`)
        .get()) as { value: { id: string }[] };
      if (!found.value[0]) {
        return {
          failed: true,
          message: `the Teams app (manifest id ${manifestId}) is not in the org's app catalog: upload teams-bridge.zip in the Teams admin center`,
        };
      }
      this.catalogId = found.value[0].id;
      return this.catalogId;
    } catch (err) {
      return this.graphFailure(
        err,
        `finding the Teams app in the org's catalog (needs ${CATALOG_PERMISSION})`,
      );
    }
  }

  private async install(teamId: string): Promise<Attempt> {
    const catalogId = await this.findCatalogId();
    if (typeof catalogId !== 'string') return catalogId;
    try {
      await this.deps.graph.client.api(`/teams/${encodeURIComponent(teamId)}/installedApps`).post({
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogId}`,
        consentedPermissionSet: { resourceSpecificPermissions: MANIFEST_RSC_PERMISSIONS },
      });
      return {
        failed: false,
        message: "install requested through Graph; waiting for the bot's installation event",
      };
    } catch (err) {
      if (graphStatus(err) === 409) return await this.alreadyInstalled(teamId);
      return this.graphFailure(err, 'installing the Teams app');
    }
  }

  /**
   * Teams has the app in the team but the bot never heard of it (installed before the service ran, or its
   * event was lost). Proactive posts need only the channel id and the service URL, so the default service URL
   * stands in until the team's next event brings its own.
   */
  private async alreadyInstalled(teamId: string): Promise<Attempt> {
    await markInstalledWithoutEvent(this.deps.pool, teamId, this.deps.config.bot.serviceUrl);
    return { failed: false, message: 'already installed in the team (Graph answered 409)' };
  }

  private graphFailure(err: unknown, doing: string): Attempt {
    const status = graphStatus(err);
    const code = (err as { code?: unknown }).code;
    const said = `Graph answered ${status ?? 'nothing'}${typeof code === 'string' ? ` ${code}` : ''}`;
    if (status === 401 || status === 403) {
      return {
        failed: true,
        message: `${doing}: ${said}: grant the application permission ${INSTALL_PERMISSION}${this.deps.install.catalogId ? '' : ` and ${CATALOG_PERMISSION}`} (admin consent), or add the app to the team in Teams`,
      };
    }
    if (status === 404) {
      return {
        failed: true,
        forgetCatalogId: true,
        message: `${doing}: ${said}: the team or the app's catalog entry is unknown: upload the app to the org's catalog and check TEAMS_APP_CATALOG_ID / TEAMS_APP_ID`,
      };
    }
    return {
      failed: true,
      message: `${doing}: ${said}: ${(err as Error).message ?? String(err)}`.slice(0, 500),
    };
  }
}
