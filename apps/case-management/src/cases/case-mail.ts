import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, CaseManagementEnv } from '@app/config';
import { CaseUpdateEvent, NotificationJob } from '@app/contracts';
import { NotificationProducer, RpcClient } from '@app/messaging';
import { AppLogger, InjectLogger, RequestContext } from '@app/observability';
import { plainText } from '../text/rich-text.sanitizer';
import { CaseRecord } from './case-record.entity';
import { statusLabel } from './case-status';

/** How much of a reply an e-mail quotes; the whole reply is in the portal. */
const EXCERPT_CHARS = 500;

/**
 * CASE-6: e-mails to a case's requester and watchers on creation, operator replies and status
 * changes, each in the recipient's language and carrying the case number. Addresses come from the
 * auth service (this service keeps none). Mail is queued after the change has committed; the change
 * stands whatever happens to its mail, so a failure is logged (case number and event only).
 */
@Injectable()
export class CaseMail {
  private readonly logger: AppLogger;
  private readonly provider: string;

  constructor(
    private readonly notifications: NotificationProducer,
    private readonly rpc: RpcClient,
    @Inject(APP_CONFIG) config: CaseManagementEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: CaseMail.name });
    this.provider = config.CASE_PROVIDER_NAME;
  }

  async caseChanged(
    c: CaseRecord,
    watcherIds: string[],
    event: CaseUpdateEvent,
    replyHtml?: string,
  ): Promise<void> {
    const ids = [...new Set([...(c.requesterId ? [c.requesterId] : []), ...watcherIds])];
    if (ids.length === 0) {
      return;
    }
    try {
      const people = await this.rpc.send('auth.directory.tenant_users', { tenant: c.tenantNumber, ids });
      const excerpt = replyHtml === undefined ? undefined : shorten(plainText(replyHtml));
      for (const person of people) {
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
              event,
              subject: c.subject.slice(0, 200),
              status: statusLabel(c.status, person.language, this.provider),
              ...(excerpt ? { excerpt } : {}),
            },
            correlationId: RequestContext.requestId(),
            userId: person.id,
            tenants: [c.tenantNumber],
          },
        };
        await this.notifications.enqueue(job, 'transactional');
      }
    } catch (error) {
      this.logger.error(
        { err: error instanceof Error ? error.message : String(error), case: c.number, event },
        'case mail not queued',
      );
    }
  }
}

function shorten(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS - 1)}…`;
}
