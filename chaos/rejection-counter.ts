import type { Replica } from './processes/replica.ts';

/**
 * Forged notifications are answered 202 (Graph would retry anything else): their rejection shows in each
 * replica's `teams_bridge_notifications_rejected_total`. A counter starts again with a restarted replica, so
 * what a replica counted before it went away is kept.
 */
export class RejectionCounter {
  private readonly banked = new Map<string, number>();
  private readonly last = new Map<string, number>();

  constructor(private readonly replicas: Replica[]) {}

  get total(): number {
    let n = 0;
    for (const r of this.replicas) n += (this.banked.get(r.name) ?? 0) + (this.last.get(r.name) ?? 0);
    return n;
  }

  async scrape(): Promise<void> {
    await Promise.all(
      this.replicas.map(async (r) => {
        let text: string | undefined;
        // A busy replica may miss one read; a missed read just before a kill would lose its count.
        for (let attempt = 0; attempt < 3 && text === undefined && r.alive; attempt++) {
          if (attempt > 0) await new Promise((done) => setTimeout(done, 500));
          text = await fetch(`${r.url}/metrics`, { signal: AbortSignal.timeout(5000) })
            .then((res) => (res.ok ? res.text() : undefined))
            .catch(() => undefined);
        }
        if (text === undefined) return;
        const value = rejected(text);
        const previous = this.last.get(r.name) ?? 0;
        if (value < previous) this.banked.set(r.name, (this.banked.get(r.name) ?? 0) + previous);
        this.last.set(r.name, value);
      }),
    );
  }
}

function rejected(metrics: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('teams_bridge_notifications_rejected_total{')) continue;
    if (!/reason="(client-state|unknown-subscription|unsupported-resource)"/.test(line)) continue;
    total += Number(line.split(' ').pop());
  }
  return total;
}
