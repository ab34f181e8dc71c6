/** Control operations for the Bot Framework stand-in (merged into the Graph stand-in's control API). */
import type { EmulatorContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { BotState } from './bot-state.ts';
import { cardActionActivity, deliverToBot, installActivities, type DeliveryOptions } from './deliver.ts';
import { documentedBotLimits, type BotLimits } from './limits.ts';

export function createBotControl(ctx: EmulatorContext, bot: BotState) {
  const installer = (by?: string) => ctx.store.user(by ?? [...ctx.store.users.keys()][0]!);
  return {
    /** Where Teams delivers activities for the bot (the manifest's bot messaging endpoint). */
    setBotEndpoint(input: { url: string }) {
      bot.endpoint = input.url;
      return { ok: true };
    },
    /** A team owner adds the app to a team: the bot receives conversationUpdate + installationUpdate. */
    async installBot(input: { teamId: string; by?: string } & DeliveryOptions) {
      bot.setInstalled(input.teamId, true);
      const results = [];
      for (const activity of installActivities(ctx, bot, input.teamId, installer(input.by), 'add')) {
        results.push(await deliverToBot(ctx, bot, activity, input));
      }
      return { installed: true, deliveries: results.map((r) => r.status) };
    },
    async uninstallBot(input: { teamId: string; by?: string; silent?: boolean }) {
      bot.setInstalled(input.teamId, false);
      if (input.silent || !bot.endpoint) return { installed: false, deliveries: [] };
      const results = [];
      for (const activity of installActivities(ctx, bot, input.teamId, installer(input.by), 'remove')) {
        results.push(await deliverToBot(ctx, bot, activity));
      }
      return { installed: false, deliveries: results.map((r) => r.status) };
    },
    /** A user presses an `Action.Execute` button on a card the bot posted: the invoke and the bot's answer. */
    async cardAction(
      input: {
        teamId: string;
        channelId: string;
        messageId: string;
        user: string;
        verb: string;
        data?: unknown;
      } & DeliveryOptions,
    ) {
      const activity = cardActionActivity(ctx, bot, { ...input, user: ctx.store.user(input.user) });
      return await deliverToBot(ctx, bot, activity, input);
    },
    /** Delivers any activity as Teams would (tests of what the bot refuses). */
    async sendBotActivity(input: { activity: Record<string, unknown> } & DeliveryOptions) {
      return await deliverToBot(ctx, bot, input.activity, input);
    },
    /** The channel is deleted in Teams: Graph and the connector no longer find it. */
    deleteChannel(input: { teamId: string; channelId: string }) {
      const channel = ctx.store.channels.get(input.channelId);
      if (!channel || channel.teamId !== input.teamId) throw notFound(input.channelId);
      ctx.store.channels.delete(input.channelId);
      return { ok: true };
    },
    /** Replace the connector's limits (scaled-down windows for tests); `documented: true` restores them. */
    setBotLimits(input: Partial<BotLimits> & { documented?: boolean }) {
      const base = input.documented ? documentedBotLimits() : bot.throttle.limits;
      bot.throttle.reset({
        perThread: input.perThread ?? base.perThread,
        perAppPerTenant: input.perAppPerTenant ?? base.perAppPerTenant,
      });
      return bot.throttle.limits;
    },
    botDeliveries() {
      return [...bot.deliveries];
    },
    botPosts() {
      return [...bot.posted];
    },
  };
}

export type BotControl = ReturnType<typeof createBotControl>;
