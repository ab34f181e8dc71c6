import { z } from 'zod';
import type { Pool } from '../store/database.ts';

/** One item of POST /v1/outbound (docs/contracts.md): what Salesforce asks to be posted to Teams. */
export const outboundPayloadSchema = z.looseObject({
  name: z.string().optional(),
  amount: z.number().nullable().optional(),
  currencyIsoCode: z.string().nullable().optional(),
  closeDate: z.string().nullable().optional(),
  stageName: z.string().nullable().optional(),
  nextStep: z.string().nullable().optional(),
  ownerId: z.string().nullable().optional(),
  ownerName: z.string().nullable().optional(),
  ownerEmail: z.string().nullable().optional(),
  recordUrl: z.string().nullable().optional(),
  accountName: z.string().nullable().optional(),
});

export const outboundBatchSchema = z.object({
  items: z
    .array(
      z.object({
        idempotencyKey: z.string().min(1, 'idempotencyKey must not be empty').max(255),
        kind: z.enum(['OpportunityHandoff', 'LeadConverted'], {
          error: 'kind must be OpportunityHandoff or LeadConverted',
        }),
        recordId: z
          .string()
          .regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'recordId must be a 15 or 18 character Salesforce id'),
        payload: outboundPayloadSchema,
      }),
    )
    .min(1, 'items must hold at least one item')
    .max(2000, 'items must hold at most 2,000 items: split the batch'),
});

export type OutboundBatch = z.infer<typeof outboundBatchSchema>;

/**
 * Persists the items not seen before (one statement; a repeated key, in this batch or an earlier one, is a
 * duplicate). Posting them to Teams is the outbound worker's job (a later issue); they wait as `queued`.
 */
export async function acceptOutboundItems(
  pool: Pool,
  items: OutboundBatch['items'],
): Promise<{ accepted: number; duplicates: number }> {
  const { rowCount } = await pool.query(
    `INSERT INTO outbound_items (idempotency_key, kind, record_id, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [
      items.map((i) => i.idempotencyKey),
      items.map((i) => i.kind),
      items.map((i) => i.recordId),
      items.map((i) => JSON.stringify(i.payload)),
    ],
  );
  const accepted = rowCount ?? 0;
  return { accepted, duplicates: items.length - accepted };
}
