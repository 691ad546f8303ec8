import { Injectable } from '@nestjs/common';
import { ContactField, NotificationJob, TemplateParams } from '@app/contracts';
import { NotificationProducer } from '@app/messaging';
import { AppLogger, InjectLogger } from '@app/observability';
import { LoginAccount, tenantNumbers } from './login-account';
import { accountEmailJob } from './account-email.util';

/** The notices this area sends about changes to an account. */
export type UserNoticeTemplate =
  'password-changed' | 'sms-disabled' | 'mfa-reset' | 'mfa-changed' | 'account-locked';

/**
 * Notice e-mails about changes to an account: to its contact address, in the user's language
 * (AUTH-20), queued only after the change has committed.
 */
@Injectable()
export class UserNotices {
  private readonly logger: AppLogger;

  constructor(
    private readonly notifications: NotificationProducer,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: UserNotices.name });
  }

  /** The notice as a job; the language is read from `account` as it is when the notice is made. */
  notice<T extends UserNoticeTemplate>(
    account: LoginAccount,
    template: T,
    params: TemplateParams[T],
  ): NotificationJob {
    return accountEmailJob(account.user, tenantNumbers(account), template, params);
  }

  /**
   * The notice that `field` changed, to its OLD value (an e-mail to the old address, an SMS to the
   * old number), in the user's language; null when there was no old value to tell.
   */
  contactChanged(
    account: LoginAccount,
    field: ContactField,
    oldValue: string | null,
  ): NotificationJob | null {
    if (!oldValue) {
      return null;
    }
    const job = accountEmailJob(account.user, tenantNumbers(account), 'contact-changed', { field });
    job.data.to = [oldValue];
    job.data.channel = field === 'email' ? 'email' : 'sms';
    return job;
  }

  /**
   * Queues notices of a change that has committed. The change stands whatever happens to its
   * notice, so a queue failure is logged (the template only: no address) and the answer is not
   * failed for it.
   */
  async send(...jobs: (NotificationJob | null)[]): Promise<void> {
    for (const job of jobs) {
      if (!job) {
        continue;
      }
      try {
        await this.notifications.enqueue(job, 'transactional');
      } catch (error) {
        this.logger.error(
          { err: error instanceof Error ? error.message : String(error), template: job.name },
          'account notice not queued',
        );
      }
    }
  }
}
