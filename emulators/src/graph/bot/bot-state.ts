/**
 * The Teams side of the app's bot: where its messaging endpoint is, which teams it is installed in (the seed's
 * `teamsApp.installedInTeams`), and the activities delivered to it. The bot's app id is the app registration's
 * client id (a single-tenant bot).
 */
import type { SeedTeamsApp } from '../seed.ts';
import type { GraphStore, Team } from '../store.ts';
import type { ChannelTokens } from './channel-tokens.ts';
import { BotThrottle } from './limits.ts';

export interface BotDelivery {
  at: string;
  type: string;
  name?: string;
  url: string;
  status: number | null;
  error?: string;
  body?: unknown;
}

export class BotState {
  endpoint: string | undefined;
  readonly deliveries: BotDelivery[] = [];
  readonly throttle = new BotThrottle();
  /** Activities the connector accepted, in order (`POST` and `PUT` of `/v3/conversations/...`). */
  readonly posted: { at: string; method: 'POST' | 'PUT'; conversationId: string; messageId: string }[] = [];
  private readonly consented = new Map<string, NonNullable<SeedTeamsApp['resourceSpecificPermissions']>>();

  constructor(
    readonly store: GraphStore,
    readonly tokens: ChannelTokens,
  ) {}

  botApp() {
    const app = [...this.store.apps.values()].find((a) => a.teamsApp);
    if (!app?.teamsApp) throw new Error('No app registration with a Teams app: the seed needs one.');
    return { app, teamsApp: app.teamsApp };
  }

  isInstalled(teamId: string): boolean {
    return this.isInstalledApp(this.botApp().teamsApp, teamId);
  }

  /** A team owner adds (or removes) the app: the manifest's RSC permissions are consented for that team. */
  setInstalled(teamId: string, installed: boolean): void {
    const { teamsApp } = this.botApp();
    this.setInstalledApp(
      teamsApp,
      teamId,
      installed,
      installed ? (teamsApp.resourceSpecificPermissions ?? []) : [],
    );
  }

  isInstalledApp(teamsApp: SeedTeamsApp, teamId: string): boolean {
    return teamsApp.installedInTeams === 'all' || teamsApp.installedInTeams.includes(teamId);
  }

  setInstalledApp(
    teamsApp: SeedTeamsApp,
    teamId: string,
    installed: boolean,
    consented: NonNullable<SeedTeamsApp['resourceSpecificPermissions']>,
  ): void {
    const current =
      teamsApp.installedInTeams === 'all' ? [...this.store.teams.keys()] : [...teamsApp.installedInTeams];
    const next = new Set(current);
    if (installed) next.add(teamId);
    else next.delete(teamId);
    teamsApp.installedInTeams = [...next];
    if (installed) this.consented.set(teamId, [...consented]);
    else this.consented.delete(teamId);
  }

  /** The RSC permissions consented in a team (a seeded installation: all the manifest asks for). */
  consentedIn(teamId: string): NonNullable<SeedTeamsApp['resourceSpecificPermissions']> {
    return this.consented.get(teamId) ?? this.botApp().teamsApp.resourceSpecificPermissions ?? [];
  }

  /** The team's own conversation id in the Bot Framework (its General channel's thread), not its group id. */
  static teamThreadId(team: Team): string {
    return `19:${team.id.replace(/-/g, '')}@thread.tacv2`;
  }

  reset(): void {
    this.deliveries.length = 0;
    this.posted.length = 0;
    this.consented.clear();
    this.throttle.reset();
  }
}
