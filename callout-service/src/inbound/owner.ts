import { graphStatus, type GraphAdapter, type GraphUser } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import type { SalesforceDirectory } from '../salesforce/directory.ts';
import { TtlCache } from '../salesforce/ttl-cache.ts';
import { plainName } from './plain-text.ts';

export interface Sender {
  id: string | null;
  name: string;
}

export interface OwnerResolution {
  ownerId: string;
  /** mapped: Teams_User_Mapping__c had a user; auto: matched by email/UPN now; record-owner: fallback. */
  how: 'mapped' | 'auto' | 'record-owner';
  senderEmail: string | null;
}

/**
 * Who owns the Task: the sender's mapped Salesforce user; else an active user whose email or username equals
 * the sender's mail/UPN (saved as an Auto mapping); else the record owner, with the sender saved as Unmapped
 * so the admin page lists them.
 */
export class OwnerResolver {
  private readonly autoMap: TtlCache<{ userId: string | null; email: string | null }>;

  constructor(
    private readonly directory: SalesforceDirectory,
    private readonly graph: GraphAdapter,
    private readonly logger: Logger,
    cacheSeconds: number,
  ) {
    this.autoMap = new TtlCache(Math.max(cacheSeconds, 1) * 1000);
  }

  async resolve(sender: Sender, recordId: string): Promise<OwnerResolution> {
    const senderId = sender.id;
    if (senderId) {
      const mapping = await this.directory.getUserMapping(senderId);
      if (mapping?.userId) return { ownerId: mapping.userId, how: 'mapped', senderEmail: null };
      const auto = await this.autoMap.get(senderId, () =>
        this.tryAutoMap({ id: senderId, name: sender.name }, mapping !== null),
      );
      if (auto.userId) return { ownerId: auto.userId, how: 'auto', senderEmail: auto.email };
      return { ownerId: await this.recordOwner(recordId), how: 'record-owner', senderEmail: auto.email };
    }
    return { ownerId: await this.recordOwner(recordId), how: 'record-owner', senderEmail: null };
  }

  private async recordOwner(recordId: string): Promise<string> {
    const owner = await this.directory.getRecordOwner(recordId);
    if (!owner) throw new Error(`linked record ${recordId} was not found or has no owner`);
    return owner;
  }

  private async tryAutoMap(
    sender: { id: string; name: string },
    mappingExists: boolean,
  ): Promise<{ userId: string | null; email: string | null }> {
    let user: GraphUser | undefined;
    try {
      user = await this.graph.getUser(sender.id);
    } catch (err) {
      // Guests and deleted users are not readable: they stay unmapped.
      if (graphStatus(err) !== 404) throw err;
    }
    const addresses = [user?.mail, user?.userPrincipalName].filter((a): a is string => !!a);
    const matches = addresses.length ? await this.directory.findActiveUsers(addresses) : [];
    const ids = [...new Set(matches.map((m) => m.id))];
    const email = user?.mail ?? user?.userPrincipalName ?? null;
    const base = {
      entraObjectId: sender.id,
      // A display name is whatever the user typed: the mapping keeps it as plain text.
      name: plainName(user?.displayName ?? sender.name) || sender.id,
      userPrincipalName: user?.userPrincipalName ?? null,
      email: user?.mail ?? null,
    };
    if (ids.length === 1) {
      await this.directory.upsertUserMapping({ ...base, userId: ids[0]!, status: 'Auto' });
      this.logger.info({ entraObjectId: sender.id, userId: ids[0] }, 'auto-mapped Teams user');
      return { userId: ids[0]!, email };
    }
    if (!mappingExists) await this.directory.upsertUserMapping({ ...base, userId: null, status: 'Unmapped' });
    return { userId: null, email };
  }
}
