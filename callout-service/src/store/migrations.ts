import type { Pool } from './database.ts';

/**
 * Plain state tables (the queue itself is pg-boss's own schema). Migrations are append-only and run under an
 * advisory lock, so replicas starting together apply each one exactly once.
 */
const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'state tables',
    sql: `
      CREATE TABLE subscriptions (
        id text PRIMARY KEY,
        resource text NOT NULL,
        team_id text NOT NULL,
        channel_id text NOT NULL,
        channel_link_id text,
        client_state text NOT NULL,
        expiration timestamptz,
        status text NOT NULL DEFAULT 'Active',
        last_notification_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX subscriptions_channel ON subscriptions (team_id, channel_id);

      -- One row per (message, rule): the idempotency key of exactly one Task.
      CREATE TABLE processed_keys (
        key text PRIMARY KEY,
        team_id text NOT NULL,
        channel_id text NOT NULL,
        message_id text NOT NULL,
        rule text NOT NULL,
        delivery_id text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'written')),
        task_id text,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        written_at timestamptz,
        UNIQUE (team_id, channel_id, message_id, rule)
      );

      CREATE TABLE channel_cursors (
        team_id text NOT NULL,
        channel_id text NOT NULL,
        delta_link text,
        last_message_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, channel_id)
      );

      CREATE TABLE dead_letters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        queue text NOT NULL,
        job_id text,
        payload jsonb NOT NULL,
        error text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        failed_at timestamptz NOT NULL DEFAULT now(),
        requeued_at timestamptz
      );
      CREATE INDEX dead_letters_open ON dead_letters (failed_at DESC) WHERE requeued_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'outbound items',
    sql: `
      -- Items Salesforce sent to POST /v1/outbound, once per idempotency key (the platform event's EventUuid),
      -- waiting for the Teams posting worker.
      CREATE TABLE outbound_items (
        idempotency_key text PRIMARY KEY,
        kind text NOT NULL,
        record_id text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'queued',
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX outbound_items_queued ON outbound_items (received_at) WHERE status = 'queued';
    `,
  },
  {
    version: 3,
    name: 'one unique key per processed message and rule',
    sql: `
      -- The key is a hash of (team, channel, message, rule), so this second unique index added nothing but a
      -- race: a claim's INSERT ... ON CONFLICT (key) does not arbitrate it, and two deliveries racing for the
      -- same key got 23505 from it. A plain index keeps the backfill's lookup by message fast.
      ALTER TABLE processed_keys DROP CONSTRAINT IF EXISTS processed_keys_team_id_channel_id_message_id_rule_key;
      CREATE INDEX IF NOT EXISTS processed_keys_message ON processed_keys (team_id, channel_id, message_id);
    `,
  },
  {
    version: 4,
    name: 'threads the backfill lists replies of',
    sql: `
      -- Graph's channel-message delta returns root messages only: replies are listed per thread. A thread is
      -- watched from when its root was seen (or the channel's watermark) for BACKFILL_REPLY_THREAD_HOURS.
      CREATE TABLE backfill_threads (
        team_id text NOT NULL,
        channel_id text NOT NULL,
        message_id text NOT NULL,
        root_created_at timestamptz NOT NULL,
        watch_from timestamptz NOT NULL,
        PRIMARY KEY (team_id, channel_id, message_id)
      );
      CREATE INDEX backfill_threads_recent ON backfill_threads (team_id, channel_id, root_created_at);
    `,
  },
  {
    version: 5,
    name: 'messages deferred while the API allocation is short',
    sql: `
      -- Above SF_CRITICAL_ONLY_ABOVE only critical rules run; a message that also matched other rules waits
      -- here (the job as queued, delivery id included) until usage falls, then is queued again.
      CREATE TABLE deferred_messages (
        delivery_id text PRIMARY KEY,
        payload jsonb NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX deferred_messages_parked ON deferred_messages (parked_at);
    `,
  },
  {
    // Numbered after its issue (as main's are) so branches adding migrations in parallel do not collide.
    version: 10,
    name: 'outbound posting',
    sql: `
      -- status: queued -> posting (claimed) -> posted (message in Teams) -> done (link written to Salesforce);
      -- dead after the last attempt. post_started_at is committed before each send: an item claimed again
      -- with it set and no message_id may have been posted, so the worker looks for it before posting again.
      ALTER TABLE outbound_items
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN lease_until timestamptz,
        ADD COLUMN team_id text,
        ADD COLUMN channel_id text,
        ADD COLUMN post_started_at timestamptz,
        ADD COLUMN message_id text,
        ADD COLUMN message_url text,
        ADD COLUMN posted_at timestamptz,
        ADD COLUMN written_back_at timestamptz,
        ADD COLUMN last_error text,
        ADD COLUMN accepted_by text,
        ADD COLUMN accepted_by_name text,
        ADD COLUMN accepted_at timestamptz,
        -- The AE's activity-feed notification: 'sent', 'unmapped' (no user mapping for the owner) or 'failed: ...'.
        ADD COLUMN ae_notification text;
      DROP INDEX outbound_items_queued;
      CREATE INDEX outbound_items_due ON outbound_items (next_attempt_at) WHERE status IN ('queued', 'posting', 'posted');

      -- The conversation reference of each team the bot is installed in (from its installation events).
      CREATE TABLE bot_installations (
        team_id text PRIMARY KEY,
        team_thread_id text NOT NULL,
        service_url text NOT NULL,
        tenant_id text,
        installed boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- The posting limiter shared by replicas: one row per post and scope, kept for the longest window.
      CREATE TABLE post_slots (scope text NOT NULL, at timestamptz NOT NULL);
      CREATE INDEX post_slots_scope_at ON post_slots (scope, at);
      CREATE TABLE post_pauses (scope text PRIMARY KEY, until timestamptz NOT NULL);

      -- Replies from the record page, once per key the component sends.
      CREATE TABLE conversation_replies (
        idempotency_key text PRIMARY KEY,
        team_id text NOT NULL,
        channel_id text NOT NULL,
        message_id text,
        web_url text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    // Numbered after its issue so branches adding migrations in parallel do not collide.
    version: 12,
    name: 'meeting transcripts',
    sql: `
      -- The one tenant-wide getAllTranscripts subscription (kept apart from the per-channel rows, which the
      -- subscription manager reconciles against channel links).
      CREATE TABLE transcript_subscription (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        id text NOT NULL,
        client_state text NOT NULL,
        expiration timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- One row per transcript handled: its outcome (tasks, unassigned, skipped, assigned) and why, and the
      -- action items of an unassigned meeting, kept for when the admin assigns it.
      CREATE TABLE transcript_meetings (
        meeting_id text NOT NULL,
        transcript_id text NOT NULL,
        organizer_id text NOT NULL,
        subject text,
        join_url text,
        meeting_start timestamptz,
        status text NOT NULL CHECK (status IN ('tasks', 'unassigned', 'skipped', 'assigned')),
        reason text,
        record_id text,
        external_domains text[] NOT NULL DEFAULT '{}',
        meeting_date date,
        items jsonb NOT NULL DEFAULT '[]',
        tasks_written integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (meeting_id, transcript_id)
      );
      CREATE INDEX transcript_meetings_status ON transcript_meetings (status, updated_at DESC);
    `,
  },
  {
    // A high number so it never collides with the numbers the other migrations take next.
    version: 90,
    name: 'api token ids',
    sql: `
      -- Ids of the Salesforce-minted JWTs the /v1 API accepted, until they expire: a token is accepted once,
      -- by whichever replica sees it first.
      CREATE TABLE api_token_ids (
        token_id text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX api_token_ids_expiry ON api_token_ids (expires_at);
    `,
  },
  {
    // Issue 10's second migration (after 10 and main's 12; numbers stay unique across branches).
    version: 101,
    name: 'channel posting modes',
    sql: `
      -- A channel's own posting mode (else OUTBOUND_DEFAULT_MODE) and, for Workflows, its webhook URL sealed
      -- with AES-256-GCM (secret-box.ts): the URL's sig lets anyone who reads it post.
      CREATE TABLE channel_posting (
        team_id text NOT NULL,
        channel_id text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('bot', 'workflows')),
        webhook_sealed text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, channel_id),
        CHECK (mode <> 'workflows' OR webhook_sealed IS NOT NULL)
      );
    `,
  },
  {
    // Issue 10's Graph service-account mode (after 101; numbers stay unique across branches).
    version: 102,
    name: 'graph service account token cache',
    sql: `
      -- A channel may post as the delegated service account through Graph.
      ALTER TABLE channel_posting DROP CONSTRAINT channel_posting_mode_check;
      ALTER TABLE channel_posting ADD CONSTRAINT channel_posting_mode_check
        CHECK (mode IN ('bot', 'workflows', 'graph'));
      -- msal-node's token cache of the service account, one row per account, sealed with AES-256-GCM
      -- (secret-box.ts): it holds the refresh token. \`version\` makes replicas' writes compare-and-set.
      CREATE TABLE graph_service_account (
        account_key text PRIMARY KEY,
        username text NOT NULL,
        cache_sealed text NOT NULL,
        version bigint NOT NULL DEFAULT 1,
        signed_in_at timestamptz NOT NULL DEFAULT now(),
        last_refresh_at timestamptz,
        last_failure text,
        last_failure_code text,
        last_failure_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    // Issue 10b's migration (120: clear of the numbers issue 10a and later ones take next).
    version: 120,
    name: 'bounded write-backs and app installs through Graph',
    sql: `
      -- A posted item's Salesforce write-back has its own attempts (posting attempts say nothing about it),
      -- and what happened when there was nothing to write to (a Lead converted without an Opportunity).
      ALTER TABLE outbound_items
        ADD COLUMN writeback_attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN writeback_note text;

      -- Each linked team as the app installer last saw it: its name, whether the bot mode needs the app
      -- there, the last Graph install attempt and when the next one is due (per-team backoff).
      CREATE TABLE team_app_installs (
        team_id text PRIMARY KEY,
        team_name text,
        needs_bot boolean NOT NULL DEFAULT true,
        linked boolean NOT NULL DEFAULT true,
        attempts integer NOT NULL DEFAULT 0,
        last_attempt_at timestamptz,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_outcome text,
        seen_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 130,
    name: 'settled messages',
    sql: `
      -- Messages whose matching rules all have their Tasks (or that matched none): a repeated 'created'
      -- notification for one is answered here, without fetching the message from Graph again.
      CREATE TABLE settled_messages (
        team_id text NOT NULL,
        channel_id text NOT NULL,
        message_id text NOT NULL,
        settled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, channel_id, message_id)
      );
    `,
  },
];

const LOCK_KEY = 0x7eab_b41d;

export async function migrate(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          m.version,
          m.name,
        ]);
        await client.query('COMMIT');
        applied.push(m.version);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
