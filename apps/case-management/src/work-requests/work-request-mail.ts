import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DirectoryUser, Language, NotificationJob } from '@app/contracts';
import { NotificationProducer, RpcClient } from '@app/messaging';
import { AppLogger, InjectLogger, RequestContext } from '@app/observability';
import { answerText } from './work-request-form';
import { WorkRequest } from './work-request.entity';

/** How much of one submitted value the "received" e-mail echoes; the whole is in the portal. */
const ECHO_CHARS = 1_000;

/**
 * CASE-7: e-mails to the submitter of a work request — received (echoing what was submitted),
 * accepted (naming the case the work goes on in) and rejected (with the reason) — each in the
 * recipient's language as the auth service knows it now. Queued after the change has committed, as
 * case e-mails are; the change stands whatever happens to its mail, so a failure is only logged.
 */
@Injectable()
export class WorkRequestMail {
  private readonly logger: AppLogger;

  constructor(
    private readonly notifications: NotificationProducer,
    private readonly rpc: RpcClient,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: WorkRequestMail.name });
  }

  async received(request: WorkRequest): Promise<void> {
    await this.send(request, 'received', (person) => ({
      name: 'work-request-received',
      data: {
        ...this.envelope(person, request),
        template: 'work-request-received',
        params: {
          ...this.about(request, person.language),
          fields: request.form.map((field) => ({
            label: field.label[person.language],
            value: shorten(answerText(field, request.answers[field.key], person.language)),
          })),
        },
      },
    }));
  }

  async accepted(request: WorkRequest, caseNumber: string): Promise<void> {
    await this.send(request, 'accepted', (person) => ({
      name: 'work-request-accepted',
      data: {
        ...this.envelope(person, request),
        template: 'work-request-accepted',
        params: { ...this.about(request, person.language), caseNumber },
      },
    }));
  }

  async rejected(request: WorkRequest, reason: string): Promise<void> {
    await this.send(request, 'rejected', (person) => ({
      name: 'work-request-rejected',
      data: {
        ...this.envelope(person, request),
        template: 'work-request-rejected',
        params: { ...this.about(request, person.language), reason },
      },
    }));
  }

  private about(request: WorkRequest, language: Language) {
    return {
      itemCode: request.itemCode,
      itemName: language === 'ja' ? request.itemNameJa : request.itemNameEn,
      submittedAt: request.submittedAt.toISOString(),
    };
  }

  /** What every job of these e-mails carries besides its template and parameters. */
  private envelope(person: DirectoryUser, request: WorkRequest) {
    return {
      messageId: randomUUID(),
      channel: 'email' as const,
      language: person.language,
      to: person.emails,
      correlationId: RequestContext.requestId(),
      userId: person.id,
      tenants: [request.tenantNumber],
    };
  }

  private async send(
    request: WorkRequest,
    event: string,
    job: (person: DirectoryUser) => NotificationJob,
  ): Promise<void> {
    try {
      const [person] = await this.rpc.send('auth.directory.tenant_users', {
        tenant: request.tenantNumber,
        ids: [request.requesterId],
      });
      if (!person || person.emails.length === 0) {
        return;
      }
      await this.notifications.enqueue(job(person), 'transactional');
    } catch (error) {
      this.logger.error(
        { err: error instanceof Error ? error.message : String(error), workRequest: request.id, event },
        'work request mail not queued',
      );
    }
  }
}

function shorten(text: string): string {
  return text.length <= ECHO_CHARS ? text : `${text.slice(0, ECHO_CHARS - 1)}…`;
}
