/**
 * The Teams side of the app's bot: where its messaging endpoint is, which teams it is installed in (the seed's
 * `teamsApp.installedInTeams`), and the activities delivered to it. The bot's app id is the app registration's
 * client id (a single-tenant bot).
 */
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
    const { teamsApp } = this.botApp();
    return teamsApp.installedInTeams === 'all' || teamsApp.installedInTeams.includes(teamId);
  }

  setInstalled(teamId: string, installed: boolean): void {
    const { teamsApp } = this.botApp();
    const current =
      teamsApp.installedInTeams === 'all' ? [...this.store.teams.keys()] : [...teamsApp.installedInTeams];
    const next = new Set(current);
    if (installed) next.add(teamId);
    else next.delete(teamId);
    teamsApp.installedInTeams = [...next];
  }

  /** The team's own conversation id in the Bot Framework (its General channel's thread), not its group id. */
  static teamThreadId(team: Team): string {
    return `19:${team.id.replace(/-/g, '')}@thread.tacv2`;
  }

  reset(): void {
    this.deliveries.length = 0;
    this.posted.length = 0;
    this.throttle.reset();
  }
}
