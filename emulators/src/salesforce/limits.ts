import type { OrgContext } from './context.ts';

// The daily API request allocation. Every authenticated REST call counts one request (a composite call
// counts one); the token endpoint does not count.

export function limitInfoHeader(ctx: OrgContext): string {
  return `api-usage=${ctx.limits.used}/${ctx.limits.dailyApiRequests}`;
}

export function limitsBody(ctx: OrgContext): Record<string, { Max: number; Remaining: number }> {
  const { dailyApiRequests, used } = ctx.limits;
  return {
    DailyApiRequests: { Max: dailyApiRequests, Remaining: Math.max(0, dailyApiRequests - used) },
    DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
    DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
    DailyStandardVolumePlatformEvents: { Max: 10000, Remaining: Math.max(0, 10000 - ctx.dml.events.length) },
    HourlyPublishedStandardVolumePlatformEvents: { Max: 100000, Remaining: 100000 },
    DataStorageMB: { Max: 5, Remaining: 5 },
    FileStorageMB: { Max: 20, Remaining: 20 },
  };
}
