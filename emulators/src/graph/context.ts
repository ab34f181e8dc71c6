/** Everything the routes, the notification sender and the control API share. */
import type { FaultSettings } from './faults.ts';
import type { ResolvedOptions } from './options.ts';
import type { RequestLog } from './request-log.ts';
import type { GraphStore } from './store.ts';
import type { RateLimiter } from './throttle.ts';
import type { TokenService } from './tokens.ts';

export interface ActivityNotificationRecord {
  at: string;
  clientId: string;
  scope: 'team' | 'user';
  teamId?: string;
  recipientUserId: string;
  activityType: string;
  topic: unknown;
  previewText: string | undefined;
  templateParameters: unknown;
}

export interface EmulatorContext {
  store: GraphStore;
  tokens: TokenService;
  options: ResolvedOptions;
  urls: { baseUrl: string; authorityHost: string };
  faults: FaultSettings;
  limiter: RateLimiter;
  requestLog: RequestLog;
  activityNotifications: ActivityNotificationRecord[];
}
