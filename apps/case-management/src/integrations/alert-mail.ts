import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, CaseManagementEnv } from '@app/config';
import { NotificationJob } from '@app/contracts';
import { NotificationProducer, RpcClient } from '@app/messaging';
import { AppLogger, InjectLogger, RequestContext } from '@app/observability';
import { CaseRecord } from '../cases/case-record.entity';
import { statusLabel } from '../cases/case-status';

/**
 * CASE-9: a new alert case is mailed to the tenant's alert recipients (the directory answers them
 * for an empty id list: the tenant's admins), each in their language, with the case number. Mail is
 * queued after the case committed; the case stands whatever happens to its mail.
 */
@Injectable()
export class AlertMail {
  private readonly logger: AppLogger;
  private readonly provider: string;

  constructor(
    private readonly notifications: NotificationProducer,
    private readonly rpc: RpcClient,
    @Inject(APP_CONFIG) config: CaseManagementEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AlertMail.name });
    this.provider = config.CASE_PROVIDER_NAME;
  }

  async alertOpened(c: CaseRecord): Promise<void> {
    try {
      const recipients = await this.rpc.send('auth.directory.tenant_users', {
        tenant: c.tenantNumber,
        ids: [],
      });
      for (const person of recipients) {
        if (person.emails.length === 0) {
          continue;
        }
        const job: NotificationJob = {
          name: 'case-update',
          data: {
            messageId: randomUUID(),
            channel: 'email',
            template: 'case-update',
            language: person.language,
            to: person.emails,
            params: {
              caseNumber: c.number,
              event: 'created',
              subject: c.subject.slice(0, 200),
              status: statusLabel(c.status, person.language, this.provider),
            },
            correlationId: RequestContext.requestId(),
            userId: person.id,
            tenants: [c.tenantNumber],
          },
        };
        // Alerts are the service's core promise: they go with the transactional mail, not bulk.
        await this.notifications.enqueue(job, 'transactional');
      }
    } catch (error) {
      this.logger.error(
        { err: error instanceof Error ? error.message : String(error), case: c.number },
        'alert mail not queued',
      );
    }
  }
}
