import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import {
  AnnouncementDto,
  AnnouncementView,
  DomainError,
  ErrorCode,
  OpsAnnouncementView,
  Principal,
} from '@app/contracts';
import { NewAuditEvent, OutboxWriter } from '@app/database';
import { customerOf, operatorOf, OperatorCaller, TenantScope } from '../caller/case-caller';
import { IdSource } from '../common/id-source';
import { ContractsRepository } from '../contracts/contracts.repository';
import { KnowledgeRepository } from '../knowledge/knowledge.repository';
import { richTextField } from '../text/rich-text.sanitizer';
import { AnnouncementMail } from './announcement-mail';
import { Announcement, AnnouncementsRepository, ReaderAnnouncement } from './announcements.repository';

/**
 * Announcements (CASE-11). Operators publish them for a time window and an audience; a user sees
 * those for their tenant while the window is open, and may close a banner for good — the
 * announcement stays in their list, marked `dismissed`.
 *
 * With `email: true` the announcement is also mailed to its audience (AnnouncementMail), once: the
 * mark is set in the transaction that saves it, and the mail is queued after that commits, through
 * the notification service's bulk path, which never delays security codes.
 */
@Injectable()
export class AnnouncementsService {
  constructor(
    private readonly announcements: AnnouncementsRepository,
    private readonly knowledge: KnowledgeRepository,
    private readonly contracts: ContractsRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly mail: AnnouncementMail,
  ) {}

  /** The mail being queued for the last announcement published with `email` (tests wait on it). */
  lastMail: Promise<void> = Promise.resolve();

  async list(principal: Principal | undefined): Promise<AnnouncementView[]> {
    const customer = customerOf(principal);
    return (await this.forReader(customer.scope, customer.userId)).map(readerView);
  }

  /** What a reader sees now (also the home page's announcements). */
  forReader(scope: TenantScope, userId: string): Promise<ReaderAnnouncement[]> {
    return this.announcements.forReader(scope, userId, this.clock.now());
  }

  async dismiss(principal: Principal | undefined, id: string): Promise<void> {
    const customer = customerOf(principal);
    const outcome = await this.announcements.transaction(async (manager) => {
      const done = await this.announcements.dismiss(
        manager,
        customer.scope,
        customer.userId,
        id,
        this.clock.now(),
      );
      // Only the first dismissal is a change worth a fact; repeating it changes nothing.
      if (done === 'dismissed') {
        await this.outbox.record(manager, {
          type: 'case-management.announcement.dismissed',
          actor: { userId: customer.userId, tenant: customer.scope.tenant },
          target: { type: 'announcement', id },
          outcome: 'success',
          tenants: [customer.scope.tenant],
        });
      }
      return done;
    });
    if (outcome === 'not_found') {
      throw new DomainError(ErrorCode.NotFound);
    }
  }

  async listByOperator(principal: Principal | undefined): Promise<OpsAnnouncementView[]> {
    return (await this.announcements.all(operatorOf(principal).scope)).map(opsView);
  }

  async create(principal: Principal | undefined, dto: AnnouncementDto): Promise<OpsAnnouncementView> {
    const operator = operatorOf(principal);
    const now = this.clock.now();
    const announcement: Announcement = {
      ...(await this.content(operator, dto)),
      id: this.ids.uuid(),
      createdBy: operator.userId,
      createdAt: now,
      updatedAt: now,
      mailedAt: null,
    };
    await this.announcements.transaction(async (manager) => {
      await this.announcements.insert(manager, operator.scope, announcement);
      await this.outbox.record(manager, this.fact(operator, 'created', announcement.id));
      if (
        dto.email === true &&
        (await this.announcements.markMailed(manager, operator.scope, announcement.id, now))
      ) {
        announcement.mailedAt = now;
      }
    });
    if (announcement.mailedAt) {
      this.lastMail = this.mail.start(operator.scope, announcement, operator.userId);
    }
    return opsView(announcement);
  }

  async update(
    principal: Principal | undefined,
    id: string,
    dto: AnnouncementDto,
  ): Promise<OpsAnnouncementView> {
    const operator = operatorOf(principal);
    const content = await this.content(operator, dto);
    const now = this.clock.now();
    const mailNow = await this.announcements.transaction(async (manager) => {
      const changed = await this.announcements.update(manager, operator.scope, {
        ...content,
        id,
        updatedAt: now,
      });
      if (!changed) {
        throw new DomainError(ErrorCode.NotFound);
      }
      await this.outbox.record(manager, this.fact(operator, 'updated', id));
      // Asked on an edit, the e-mail goes only if it never went: an audience is mailed once.
      return dto.email === true && (await this.announcements.markMailed(manager, operator.scope, id, now));
    });
    const updated = await this.announcements.find(operator.scope, id);
    if (!updated) {
      throw new DomainError(ErrorCode.NotFound);
    }
    if (mailNow) {
      this.lastMail = this.mail.start(operator.scope, updated, operator.userId);
    }
    return opsView(updated);
  }

  async delete(principal: Principal | undefined, id: string): Promise<void> {
    const operator = operatorOf(principal);
    await this.announcements.transaction(async (manager) => {
      if (!(await this.announcements.delete(manager, operator.scope, id))) {
        throw new DomainError(ErrorCode.NotFound);
      }
      await this.outbox.record(manager, this.fact(operator, 'deleted', id));
    });
  }

  /** An operator's input, checked: a window that ends after it starts, an audience, known references. */
  private async content(
    operator: OperatorCaller,
    dto: AnnouncementDto,
  ): Promise<Omit<Announcement, 'id' | 'createdBy' | 'createdAt' | 'updatedAt' | 'mailedAt'>> {
    const from = new Date(dto.from);
    const to = new Date(dto.to);
    for (const [field, at] of [
      ['from', from],
      ['to', to],
    ] as const) {
      // Years PostgreSQL and every client agree on (ISO 8601 admits year 0000, PostgreSQL does not).
      if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1970 || at.getUTCFullYear() > 9999) {
        throw invalid(field, `${field} must be a time between the years 1970 and 9999`);
      }
    }
    if (from >= to) {
      throw invalid('to', 'to must be after from');
    }
    const title = dto.title.trim();
    if (title === '') {
      throw invalid('title', 'title must contain text');
    }
    const audience = {
      all: dto.audience.all === true,
      tenants: [...new Set(dto.audience.tenants ?? [])].sort(),
      services: [...new Set(dto.audience.services ?? [])].sort(),
    };
    if (!audience.all && audience.tenants.length === 0 && audience.services.length === 0) {
      throw invalid('audience', 'audience must be all, or name tenants or services');
    }
    const known = new Set((await this.contracts.listServices()).map((s) => s.code));
    const unknown = audience.services.filter((s) => !known.has(s));
    if (unknown.length > 0) {
      throw invalid('audience.services', `no such service: ${unknown.join(', ')}`);
    }
    if (dto.article !== undefined && !(await this.knowledge.article(operator.scope, dto.article))) {
      throw invalid('article', 'article does not exist');
    }
    return {
      title,
      body: richTextField(dto.body, 'body'),
      articleNumber: dto.article ?? null,
      banner: dto.banner,
      from,
      to,
      audience,
    };
  }

  private fact(operator: OperatorCaller, what: 'created' | 'updated' | 'deleted', id: string): NewAuditEvent {
    return {
      type: `case-management.announcement.${what}`,
      actor: { userId: operator.userId },
      target: { type: 'announcement', id },
      outcome: 'success',
    };
  }
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, { fields: { [field]: [message] } });
}

export function readerView(a: ReaderAnnouncement): AnnouncementView {
  return {
    id: a.id,
    title: a.title,
    body: a.body,
    ...(a.articleNumber ? { article: a.articleNumber } : {}),
    banner: a.banner,
    from: a.from.toISOString(),
    to: a.to.toISOString(),
    dismissed: a.dismissed,
  };
}

function opsView(a: Announcement): OpsAnnouncementView {
  return {
    id: a.id,
    title: a.title,
    body: a.body,
    article: a.articleNumber,
    banner: a.banner,
    from: a.from.toISOString(),
    to: a.to.toISOString(),
    audience: a.audience,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    mailedAt: a.mailedAt ? a.mailedAt.toISOString() : null,
  };
}
