import { Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { Clock } from '@app/config';
import { AnnouncementMailParams, DirectoryMember, NotificationJob } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { NotificationProducer, RpcClient } from '@app/messaging';
import { AppLogger, InjectLogger, RequestContext } from '@app/observability';
import { AllTenants } from '../caller/case-caller';
import { plainText } from '../text/rich-text.sanitizer';
import { Announcement, AnnouncementsRepository } from './announcements.repository';

/** Members asked of the directory per page; each page goes to the queue before the next is asked. */
const PAGE = 500;
/** How much of the body an e-mail quotes; the whole announcement is in the portal. */
const EXCERPT_CHARS = 1000;
/**
 * A replica renews its lease on a mailing with every page (milliseconds apart); one silent this long
 * has stopped, and a replica starting up resumes its mailing where it stopped.
 */
const LEASE_MS = 2 * 60 * 1000;

const OPERATORS: AllTenants = { kind: 'all' };

/**
 * CASE-11: an announcement's e-mail to its audience, each user once, in their language, through the
 * notification service's bulk path (NotificationProducer.enqueueBulk: below security codes). It runs
 * after the announcement has committed and the operator has their answer: publishing never waits
 * for an audience's worth of mail. Recipients come page by page from the auth service's directory
 * (this service keeps no addresses), only members of the audience's tenants, in user id order; after
 * each page the last id is saved with a renewed lease, so a mailing whose replica stopped is resumed
 * by a replica starting up, from the page it stopped at. Each message id is derived from the
 * announcement and the user, so a page queued again while its jobs wait is not sent twice. The
 * outcome is an audit fact with the count; a failure is logged with the announcement id only.
 */
@Injectable()
export class AnnouncementMail implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: AppLogger;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly notifications: NotificationProducer,
    private readonly rpc: RpcClient,
    private readonly announcements: AnnouncementsRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AnnouncementMail.name });
  }

  onApplicationBootstrap(): void {
    void this.resumeUnfinished();
  }

  /** Resumes the mailings replicas stopped in the middle of (their lease has lapsed). */
  resumeUnfinished(): Promise<void> {
    const resume = async () => {
      for (const a of await this.announcements.unfinishedMails(OPERATORS, this.clock.now(), LEASE_MS)) {
        await this.start(OPERATORS, a, a.createdBy);
      }
    };
    return this.track(
      resume().catch((error: unknown) =>
        this.logger.warn({ err: describe(error) }, 'unfinished announcement mail not resumed'),
      ),
    );
  }

  /** Starts mailing in the background; the returned promise (for tests) settles when it is queued. */
  start(scope: AllTenants, announcement: Announcement, operatorId: string): Promise<void> {
    return this.track(this.send(scope, announcement, operatorId));
  }

  /** A shutdown lets the page being queued finish; the lease then lets another replica go on. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private track(work: Promise<void>): Promise<void> {
    const run: Promise<void> = work.finally(() => {
      this.running.delete(run);
    });
    this.running.add(run);
    return run;
  }

  private async send(scope: AllTenants, a: Announcement, operatorId: string): Promise<void> {
    const claimedAt = this.clock.now();
    const claim = await this.announcements.claimMail(scope, a.id, claimedAt, LEASE_MS);
    if (!claim) {
      return;
    }
    let queued = 0;
    let outcome: 'success' | 'failure' = 'success';
    let leaseHeld = true;
    try {
      const tenants = [
        ...new Set([
          ...a.audience.tenants,
          ...(await this.announcements.tenantsContracting(scope, a.audience.services)),
        ]),
      ].sort();
      if (a.audience.all || tenants.length > 0) {
        const params = mailParams(a);
        const correlationId = RequestContext.requestId();
        let after = claim.cursor ?? undefined;
        do {
          // No token: this may run past the operator's request; the directory is an internal call.
          const page = await this.rpc.send(
            'auth.directory.members',
            { all: a.audience.all, tenants: a.audience.all ? [] : tenants, after, limit: PAGE },
            { requestId: correlationId },
          );
          const jobs = page.members
            .filter((m) => m.emails.length > 0)
            .map((m) => job(a.id, m, params, correlationId));
          await this.notifications.enqueueBulk(jobs);
          queued += jobs.length;
          after = page.next ?? undefined;
          const last = page.members.at(-1);
          if (after !== undefined && last) {
            leaseHeld = await this.announcements.advanceMail(a.id, claimedAt, last.id, this.clock.now());
          }
        } while (after !== undefined && leaseHeld);
      }
    } catch (error) {
      outcome = 'failure';
      this.logger.error({ err: describe(error), announcement: a.id, queued }, 'announcement mail not queued');
    }
    if (!leaseHeld) {
      // Another replica took the mailing over; it records the outcome.
      return;
    }
    await this.announcements
      .transaction(async (manager) => {
        if (outcome === 'success') {
          await this.announcements.finishMail(manager, a.id, claimedAt, this.clock.now());
        }
        await this.outbox.record(manager, {
          type: 'case-management.announcement.mail_queued',
          actor: { userId: operatorId },
          target: { type: 'announcement', id: a.id },
          outcome,
          reasons: [outcome === 'success' ? `recipients:${queued}` : `queued:${queued}`],
        });
      })
      .catch((error: unknown) =>
        this.logger.error({ err: describe(error), announcement: a.id }, 'announcement mail not recorded'),
      );
  }
}

function mailParams(a: Announcement): AnnouncementMailParams {
  return {
    title: a.title.slice(0, 200),
    excerpt: shorten(plainText(a.body)),
    ...(a.articleNumber ? { article: a.articleNumber } : {}),
    from: a.from.toISOString(),
    to: a.to.toISOString(),
  };
}

function job(
  announcementId: string,
  member: DirectoryMember,
  params: AnnouncementMailParams,
  correlationId: string,
): NotificationJob {
  return {
    name: 'announcement',
    data: {
      // One message per announcement and user, whatever page or resumption queues it.
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

function shorten(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS - 1)}…`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
