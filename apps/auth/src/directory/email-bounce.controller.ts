import { Controller, Inject } from '@nestjs/common';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import { EmailUndeliverableRequest, recipientHashes, RpcEnvelope } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { AuditFacts } from '../users/audit-facts';
import { UsersService } from '../users/users.service';
import { DirectoryRepository } from './directory.repository';

/**
 * NOTIF-6: the notification service reports a hard bounce; auth owns the user's `email_undeliverable`
 * flag and sets it here, so codes by e-mail to that address fail with `email_unavailable` until the
 * user or another admin changes the address or clears the mark. The address comes only as its keyed
 * hashes: the mark is set when one of them is the user's current contact address (a bounce of a
 * tenant's notification address, or of an address the user has since changed, marks nothing).
 */
@Controller()
export class EmailBounceController {
  constructor(
    private readonly directory: DirectoryRepository,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
    private readonly users: UsersService,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
  ) {}

  @RpcHandler('auth.directory.email_undeliverable')
  async emailUndeliverable({ data }: RpcEnvelope<EmailUndeliverableRequest>): Promise<{ marked: boolean }> {
    return this.directory.transaction(async (manager) => {
      const user = await this.directory.lockUser(manager, data.userId);
      if (!user?.email) {
        return { marked: false };
      }
      const own = recipientHashes(user.email, this.config.RECIPIENT_HASH_SECRET);
      if (!data.recipientHashes.some((hash) => own.includes(hash))) {
        return { marked: false };
      }
      if (!user.emailUndeliverable) {
        await this.directory.markEmailUndeliverable(manager, user.id, this.clock.now());
        const tenants = await this.users.tenantNumbersOf(user.id, manager);
        await this.facts.as({ userId: user.id }, tenants).record(manager, {
          type: 'auth.user.email_undeliverable',
          target: { type: 'user', id: user.id },
          outcome: 'info',
          reasons: ['bounce', `message:${data.messageId}`],
        });
      }
      return { marked: true };
    });
  }
}
