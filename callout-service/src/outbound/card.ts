/**
 * The handoff card: Adaptive Card 1.5 (what Teams renders), built from the outbound payload. The root
 * container's id carries a digest of the item's idempotency key, so a message found in the channel can be
 * matched to the item that posted it (see reconcile.ts). 'Accept handoff' is an `Action.Execute`
 * (Universal Actions): Teams sends it to the bot as an `adaptiveCard/action` invoke.
 */
import { createHash } from 'node:crypto';
import type { OutboundItem } from './outbound-rows.ts';

export const ACCEPT_VERB = 'acceptHandoff';
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export const cardMarker = (idempotencyKey: string) =>
  `teams-bridge-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;

export interface Acceptance {
  byName: string;
  at: string;
}

export interface CardOptions {
  /** The bot posts an Accept button; other posting modes cannot receive its invoke. */
  withAccept: boolean;
  channelUrl?: string | null;
  accepted?: Acceptance | null;
}

function formatAmount(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: currency || 'USD',
      maximumFractionDigits: 2,
    }).format(amount);
  } catch {
    return `${amount.toLocaleString('en-US')} ${currency ?? ''}`.trim();
  }
}

/** Text shown as is: Adaptive Card TextBlocks read markdown, so markdown characters are escaped. */
const plain = (value: string | null | undefined) =>
  value ? value.replace(/[\\*_`[\]#>~|]/g, (c) => `\\${c}`) : '—';

export function handoffCard(item: OutboundItem, options: CardOptions) {
  const p = item.payload;
  const title = item.kind === 'LeadConverted' ? 'Lead converted' : 'Opportunity ready for handoff';
  const facts = [
    { title: 'Amount', value: formatAmount(p.amount, p.currencyIsoCode) },
    { title: 'Close date', value: plain(p.closeDate) },
    { title: 'Stage', value: plain(p.stageName) },
    { title: 'Next step', value: plain(p.nextStep) },
    { title: 'Owner', value: plain(p.ownerName) },
    { title: 'Account', value: plain(p.accountName) },
  ];
  const actions: Record<string, unknown>[] = [];
  if (p.recordUrl) actions.push({ type: 'Action.OpenUrl', title: 'Open in Salesforce', url: p.recordUrl });
  if (options.channelUrl)
    actions.push({ type: 'Action.OpenUrl', title: 'Open channel', url: options.channelUrl });
  const accepted = options.accepted;
  if (options.withAccept && !accepted) {
    actions.push({
      type: 'Action.Execute',
      title: 'Accept handoff',
      verb: ACCEPT_VERB,
      style: 'positive',
      data: { idempotencyKey: item.idempotencyKey },
    });
  }
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: plain(p.name ?? item.recordId), size: 'Large', wrap: true, spacing: 'None' },
    { type: 'FactSet', facts },
  ];
  if (accepted) {
    body.push({
      type: 'TextBlock',
      text: `Accepted by ${plain(accepted.byName)} on ${accepted.at}`,
      color: 'Good',
      weight: 'Bolder',
      wrap: true,
    });
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: `${title}: ${p.name ?? item.recordId}`,
    body: [{ type: 'Container', id: cardMarker(item.idempotencyKey), items: body }],
    ...(actions.length > 0 ? { actions } : {}),
  };
}

export type HandoffCard = ReturnType<typeof handoffCard>;
