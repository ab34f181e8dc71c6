import type { Pool } from './database.ts';

/** How often expired ids are swept (at most once a minute per process, on the request path). */
const SWEEP_EVERY_MS = 60_000;

/**
 * The ids of accepted API tokens, in PostgreSQL so that "seen once" holds across replicas: the first insert
 * of an id wins, any later one (a replay, on this replica or another) finds it taken.
 */
export class TokenIdStore {
  private lastSweep = 0;

  constructor(private readonly pool: Pool) {}

  /** Records the id until it expires; false when it was already used. */
  async claim(tokenId: string, expiresAt: Date): Promise<boolean> {
    const now = Date.now();
    if (now - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = now;
      await this.pool.query('DELETE FROM api_token_ids WHERE expires_at < now()');
    }
    const inserted = await this.pool.query(
      'INSERT INTO api_token_ids (token_id, expires_at) VALUES ($1, $2) ON CONFLICT (token_id) DO NOTHING',
      [tokenId, expiresAt],
    );
    return inserted.rowCount === 1;
  }
}
