/** A bounded log of every request the stand-in answered, for tests and the control API. */
export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  area: 'entra' | 'graph' | 'control' | 'other';
  clientId?: string;
  userId?: string;
  /** Set when a fault injection shaped the answer. */
  fault?: string;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  constructor(private readonly limit = 5000) {}

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  list(
    filter: { pathContains?: string; method?: string; area?: LoggedRequest['area']; since?: string } = {},
  ) {
    const since = filter.since ? Date.parse(filter.since) : undefined;
    return this.entries.filter(
      (e) =>
        (!filter.pathContains || e.path.includes(filter.pathContains)) &&
        (!filter.method || e.method === filter.method.toUpperCase()) &&
        (!filter.area || e.area === filter.area) &&
        (since === undefined || Date.parse(e.at) >= since),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
