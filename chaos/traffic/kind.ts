/**
 * One kind of traffic the chaos run drives while faults come and go (channel messages, hostile requests,
 * and, once the outbound pipeline exists, Opportunity handoffs). `tick` sends one unit; the run calls it at
 * the kind's rate until traffic stops. `expected` is what must exist at the end (Task or card keys), with
 * the moment each unit was sent, for the books.
 */
export interface TrafficKind {
  readonly name: string;
  /** Units per second. */
  readonly rate: number;
  tick(): Promise<void>;
}

export interface ExpectedItem {
  /** Idempotency key the product must end up with exactly once (Task external id, card key). */
  key: string;
  /** What the key belongs to (a message id, a handoff id): one unit of traffic. */
  unit: string;
  sentAt: number;
}
