import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DirectoryMember, NotificationJob } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { NotificationProducer, RpcClient } from '@app/messaging';
import { RequestContext } from '@app/observability';
import { AllTenants } from '../caller/case-caller';
import { plainText } from '../text/rich-text.sanitizer';
import { Announcement, AnnouncementsRepository } from './announcements.repository';

/** Members asked of the directory per page; each page goes to the queue before the next is asked. */
const PAGE = 500;
/** How much of the body an e-mail quotes; the whole announcement is in the portal. */
const EXCERPT_CHARS = 1000;

/**
 * CASE-11: an announcement's e-mail to its audience, each user once, in their language, through the
 * notification service's bulk path (NotificationProducer.enqueueBulk: below security codes). It runs
 * after the announcement has committed and the operator has their answer: publishing never waits
 * for an audience's worth of mail. Recipients come page by page from the auth service's directory
 * (this service keeps no addresses), only members of the audience's tenants. Each message id is
 * derived from the announcement and the user, so a page queued twice is delivered once. The outcome
 * is an audit fact with the count; a failure is logged with the announcement id only.
 */
@Injectable()
export class AnnouncementMail implements OnApplicationShutdown {
  private readonly logger = new Logger(AnnouncementMail.name);
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly notifications: NotificationProducer,
    private readonly rpc: RpcClient,
    private readonly announcements: AnnouncementsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Starts mailing in the background; the returned promise (for tests) settles when it is queued. */
  start(scope: AllTenants, announcement: Announcement, operatorId: string): Promise<void> {
    const correlationId = RequestContext.requestId();
    const run: Promise<void> = this.send(scope, announcement, operatorId, correlationId).finally(() => {
      this.running.delete(run);
    });
    this.running.add(run);
    return run;
  }

  /** A shutdown lets the mail being queued finish (a page is a few milliseconds of Redis). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async send(
    scope: AllTenants,
    a: Announcement,
    operatorId: string,
    correlationId: string,
  ): Promise<void> {
    let queued = 0;
    let outcome: 'success' | 'failure' = 'success';
    try {
      const tenants = [
        ...new Set([
          ...a.audience.tenants,
          ...(await this.announcements.tenantsContracting(scope, a.audience.services)),
        ]),
      ].sort();
      if (a.audience.all || tenants.length > 0) {
        const params = {
          title: a.title.slice(0, 200),
          excerpt: shorten(plainText(a.body)),
          ...(a.articleNumber ? { article: a.articleNumber } : {}),
          from: a.from.toISOString(),
          to: a.to.toISOString(),
        };
        const seen = new Set<string>();
        let after: string | undefined;
        do {
          // No token: this runs past the operator's request, and the directory is an internal call.
          const page = await this.rpc.send(
            'auth.directory.members',
            { all: a.audience.all, tenants: a.audience.all ? [] : tenants, after, limit: PAGE },
            { requestId: correlationId },
          );
          const jobs = page.members
            .filter((m) => m.emails.length > 0 && !seen.has(m.id))
            .map((m) => this.job(a.id, m, params, correlationId));
          page.members.forEach((m) => seen.add(m.id));
          await this.notifications.enqueueBulk(jobs);
          queued += jobs.length;
          after = page.next ?? undefined;
        } while (after !== undefined);
      }
    } catch (error) {
      outcome = 'failure';
      this.logger.error(
        { error: error instanceof Error ? error.message : String(error), announcement: a.id, queued },
        'announcement mail not queued',
      );
    }
    await this.announcements
      .transaction((manager) =>
        this.outbox.record(manager, {
          type: 'case-management.announcement.mail_queued',
          actor: { userId: operatorId },
          target: { type: 'announcement', id: a.id },
          outcome,
          reasons: [outcome === 'success' ? `recipients:${queued}` : `queued:${queued}`],
        }),
      )
      .catch((error: unknown) =>
        this.logger.error(
          { error: error instanceof Error ? error.message : String(error), announcement: a.id },
          'announcement mail fact not recorded',
        ),
      );
  }

  private job(
    announcementId: string,
    member: DirectoryMember,
    params: Extract<NotificationJob, { name: 'announcement' }>['data']['params'],
    correlationId: string,
  ): NotificationJob {
    return {
      name: 'announcement',
      data: {
        // One message per announcement and user, whatever page or retry queues it.
        messageId: `announcement-${announcementId}-${member.id}`,
        channel: 'email',
        template: 'announcement',
        language: member.language,
        to: member.emails,
        params,
        correlationId,
        userId: member.id,
        tenants: [member.tenant],
      },
    };
  }
}

function shorten(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS - 1)}…`;
}
