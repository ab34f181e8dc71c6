import type { Dependency } from './faults.ts';
import type { Replica } from './processes/replica.ts';

export interface Sample {
  at: number;
  replica: string;
  ready: boolean;
  down: string[];
  /** What /readyz said failed, per dependency down (for the report when a sample is judged wrong). */
  why: string[];
}

/**
 * Samples every live replica's /readyz once a second and judges each sample against the dependencies the
 * run knows to be down. Samples within `graceMs` of a dependency going down or coming back are not judged:
 * the probe's cache and timeout make readiness follow a change within a few seconds, not at once.
 */
export class ReadinessWatch {
  readonly samples: Sample[] = [];
  private readonly transitions: { at: number; dependency: Dependency; down: boolean }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly busy = new Set<string>();

  constructor(
    private readonly replicas: Replica[],
    private readonly graceMs: number,
  ) {}

  mark(dependency: Dependency, down: boolean, at = Date.now()): void {
    this.transitions.push({ at, dependency, down });
  }

  start(): void {
    this.timer = setInterval(() => {
      for (const r of this.replicas) void this.sample(r);
    }, 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sample(replica: Replica): Promise<void> {
    if (!replica.alive || this.busy.has(replica.name)) return;
    this.busy.add(replica.name);
    const at = Date.now();
    try {
      const res = await fetch(`${replica.url}/readyz`, { signal: AbortSignal.timeout(9000) });
      const body = (await res.json()) as { down?: string[] } & Record<string, { error?: string }>;
      const down = body.down ?? [];
      this.samples.push({
        at,
        replica: replica.name,
        ready: res.status === 200,
        down,
        why: down.map((d) => `${d}: ${body[d]?.error ?? '?'}`),
      });
    } catch {
      // Not answering (killed, restarting): nothing to judge.
    } finally {
      this.busy.delete(replica.name);
    }
  }

  private downAt(at: number): boolean {
    const state = new Map<Dependency, boolean>();
    for (const t of this.transitions) if (t.at <= at) state.set(t.dependency, t.down);
    return [...state.values()].some(Boolean);
  }

  private judged(at: number): boolean {
    return !this.transitions.some((t) => Math.abs(at - t.at) < this.graceMs);
  }

  /** How many samples in [start, end) were judged and how many of those were right. */
  score(start: number, end: number): { judged: number; correct: number; wrong: Sample[] } {
    let judged = 0;
    let correct = 0;
    const wrong: Sample[] = [];
    for (const s of this.samples) {
      if (s.at < start || s.at >= end || !this.judged(s.at)) continue;
      judged++;
      if (s.ready === !this.downAt(s.at)) correct++;
      else wrong.push(s);
    }
    return { judged, correct, wrong };
  }
}
