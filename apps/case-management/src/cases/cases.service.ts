import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, CaseManagementEnv, Clock } from '@app/config';
import {
  CaseDetailView,
  CaseListQueryDto,
  CaseListView,
  CaseStatus,
  CaseSummaryView,
  CaseUpdateEvent,
  CASE_TOTAL_CAP,
  CreateCaseDto,
  DirectoryUser,
  DomainError,
  ErrorCode,
  Language,
  OperatorStatus,
  OpsCreateCaseDto,
  Principal,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { RpcClient } from '@app/messaging';
import { CaseActivity } from '../activity/case-activity.entity';
import { plainText, richTextField } from '../text/rich-text.sanitizer';
import { CaseCaller, CaseScope, customerOf, operatorOf } from '../caller/case-caller';
import { CategoriesRepository } from '../categories/categories.repository';
import { IdSource } from '../common/id-source';
import { isUniqueViolation } from '../common/unique-violation.util';
import { ContractsRepository } from '../contracts/contracts.repository';
import { CUSTOMER_FILTER_FIELDS, filterSql, OPERATOR_FILTER_FIELDS, parseFilter } from './case-filter';
import { caseListSql } from './case-list-query';
import { CaseMail } from './case-mail';
import { CaseRecord } from './case-record.entity';
import { customerTransition, CustomerDecision, operatorMayMove } from './case-status';
import { CaseReader, caseDetailView, caseSummaryView } from './case-views.util';
import { CasesRepository, NewCase, ONE_OPEN_INQUIRY_INDEX } from './cases.repository';
import { keywordSql } from './keyword-query';
import { bigrams, foldText } from '../text/search-text.util';

/** Who wrote an entry, as the activity records it. */
interface Author {
  id: string;
  name: string;
  role: 'customer' | 'operator';
}

/**
 * Cases (CASE-2…CASE-5) and their activity (CASE-6). Each change is one transaction holding the
 * case's row lock, its activity entries and its audit fact, so concurrent changes of one case
 * queue one behind the other and every rule is decided on the status as committed.
 */
@Injectable()
export class CasesService {
  private readonly provider: string;

  constructor(
    private readonly cases: CasesRepository,
    private readonly contracts: ContractsRepository,
    private readonly categories: CategoriesRepository,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly mail: CaseMail,
    @Inject(APP_CONFIG) config: CaseManagementEnv,
  ) {
    this.provider = config.CASE_PROVIDER_NAME;
  }

  /** CASE-2…CASE-4: a customer opens an inquiry in a contracted service and a selectable category. */
  async create(
    principal: Principal | undefined,
    dto: CreateCaseDto,
    language: Language,
  ): Promise<CaseSummaryView> {
    const customer = customerOf(principal);
    const tenant = customer.scope.tenant;
    const category = await this.categories.find(dto.category);
    if (!category || !category.customerSelectable) {
      throw new DomainError(ErrorCode.CategoryNotSelectable, { category: dto.category });
    }
    const contract = await this.contracts.contractFor(tenant, dto.service);
    if (!contract) {
      throw new DomainError(ErrorCode.ServiceNotContracted, { service: dto.service });
    }
    const watcherIds = [...new Set(dto.watchers ?? [])].filter((id) => id !== customer.userId);
    const people = await this.people(tenant, [customer.userId, ...watcherIds]);
    const requester = people.get(customer.userId);
    if (!requester) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    const unknown = watcherIds.filter((id) => !people.has(id));
    if (unknown.length > 0) {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { watchers: ['every watcher must be a user of your organisation'] },
      });
    }
    const now = this.clock.now();
    const record: NewCase = {
      id: this.ids.uuid(),
      tenantNumber: tenant,
      contractor: contract.contractor,
      serviceCode: contract.serviceCode,
      categoryCode: category.code,
      subject: dto.subject.trim(),
      description: this.richText(dto.description, 'description'),
      origin: 'customer',
      requesterId: customer.userId,
      requesterName: requester.name,
      status: 'new',
      // CASE-4: a fault may be reported whatever else is open.
      countsAsInquiry: category.code !== 'fault',
      createdAt: now,
      updatedAt: now,
    };
    let number: string;
    try {
      number = await this.cases.transaction(async (manager) => {
        const created = await this.insert(manager, record, {
          id: customer.userId,
          name: requester.name,
          role: 'customer',
        });
        await this.cases.insertWatchers(
          manager,
          watcherIds.map((id) => ({ caseId: record.id, userId: id, name: people.get(id)!.name })),
        );
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error, ONE_OPEN_INQUIRY_INDEX)) {
        const blocking = await this.cases.openInquiry(tenant, contract.serviceCode);
        throw new DomainError(ErrorCode.OpenInquiryExists, { number: blocking });
      }
      throw error;
    }
    await this.mail.caseChanged({ ...record, number, closedAt: null }, watcherIds, 'created');
    return this.summary(customer, number, language);
  }

  /** Operators open cases for any tenant with a contract, in any category; they never count for CASE-4. */
  async createByOperator(
    principal: Principal | undefined,
    dto: OpsCreateCaseDto,
    language: Language,
  ): Promise<CaseSummaryView> {
    const operator = operatorOf(principal);
    const category = await this.categories.find(dto.category);
    if (!category) {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { category: ['category does not exist'] },
      });
    }
    const contract = await this.contracts.contractFor(dto.tenant, dto.service);
    if (!contract) {
      throw new DomainError(ErrorCode.ServiceNotContracted, { service: dto.service });
    }
    const now = this.clock.now();
    const record: NewCase = {
      id: this.ids.uuid(),
      tenantNumber: dto.tenant,
      contractor: contract.contractor,
      serviceCode: contract.serviceCode,
      categoryCode: category.code,
      subject: dto.subject.trim(),
      description: this.richText(dto.description, 'description'),
      origin: 'operator',
      requesterId: null,
      requesterName: null,
      status: 'new',
      countsAsInquiry: false,
      createdAt: now,
      updatedAt: now,
    };
    const number = await this.cases.transaction((manager) =>
      this.insert(manager, record, { id: operator.userId, name: this.provider, role: 'operator' }),
    );
    return this.summary(operator, number, language);
  }

  async get(principal: Principal | undefined, number: string, language: Language): Promise<CaseDetailView> {
    return this.detail(customerOf(principal), number, language);
  }

  async getByOperator(
    principal: Principal | undefined,
    number: string,
    language: Language,
  ): Promise<CaseDetailView> {
    return this.detail(operatorOf(principal), number, language);
  }

  async list(
    principal: Principal | undefined,
    query: CaseListQueryDto,
    language: Language,
  ): Promise<CaseListView> {
    return this.page(customerOf(principal), query, language);
  }

  async listByOperator(
    principal: Principal | undefined,
    query: CaseListQueryDto,
    language: Language,
  ): Promise<CaseListView> {
    return this.page(operatorOf(principal), query, language);
  }

  /**
   * CASE-6: a customer's comment. On a case waiting for the customer it hands the case back to the
   * provider (`awaiting_customer` → `in_progress`, CASE-5).
   */
  async comment(
    principal: Principal | undefined,
    number: string,
    body: string,
    language: Language,
  ): Promise<CaseDetailView> {
    const customer = customerOf(principal);
    const author = await this.customerAuthor(customer.scope.tenant, customer.userId);
    await this.addComment(customer.scope, number, body, author);
    return this.detail(customer, number, language);
  }

  async commentByOperator(
    principal: Principal | undefined,
    number: string,
    body: string,
    language: Language,
  ): Promise<CaseDetailView> {
    const operator = operatorOf(principal);
    await this.addComment(operator.scope, number, body, {
      id: operator.userId,
      name: this.provider,
      role: 'operator',
    });
    return this.detail(operator, number, language);
  }

  /** CASE-5: a customer closes, approves or rejects; a rejection's reason is kept as a comment. */
  async decide(
    principal: Principal | undefined,
    number: string,
    decision: CustomerDecision,
    language: Language,
    reason?: string,
  ): Promise<CaseSummaryView> {
    const customer = customerOf(principal);
    const author = await this.customerAuthor(customer.scope.tenant, customer.userId);
    const changed = await this.cases.transaction(async (manager) => {
      const c = await this.locked(manager, customer.scope, number);
      const next = customerTransition(c.status, decision);
      if (next === null) {
        throw new DomainError(ErrorCode.InvalidTransition, { status: c.status, action: decision });
      }
      const now = this.clock.now();
      if (reason !== undefined) {
        await this.recordComment(manager, c, author, this.richText(reason, 'reason'), now);
      }
      await this.moveStatus(manager, c, next, author, now, decision);
      return { ...c, status: next };
    });
    await this.mailChange(changed, 'status_changed');
    return this.summary(customer, number, language);
  }

  /** CASE-5: an operator sets a status, with an optional comment recorded before the change. */
  async setStatusByOperator(
    principal: Principal | undefined,
    number: string,
    status: OperatorStatus,
    language: Language,
    comment?: string,
  ): Promise<CaseSummaryView> {
    const operator = operatorOf(principal);
    const author: Author = { id: operator.userId, name: this.provider, role: 'operator' };
    const changed = await this.cases.transaction(async (manager) => {
      const c = await this.locked(manager, operator.scope, number);
      if (!operatorMayMove(c.status, status)) {
        throw new DomainError(ErrorCode.InvalidTransition, { status: c.status, to: status });
      }
      const now = this.clock.now();
      if (comment !== undefined) {
        await this.recordComment(manager, c, author, this.richText(comment, 'comment'), now);
      }
      await this.moveStatus(manager, c, status, author, now);
      return { ...c, status };
    });
    await this.mailChange(
      changed,
      'status_changed',
      comment === undefined ? undefined : this.richText(comment, 'comment'),
    );
    return this.summary(operator, number, language);
  }

  // ---- the steps every change shares --------------------------------------------------------------

  private async insert(manager: EntityManager, record: NewCase, author: Author): Promise<string> {
    const number = await this.cases.insertCase(manager, record);
    await this.cases.addSearchText(
      manager,
      record.id,
      foldText(`${record.subject}\n${plainText(record.description)}`),
      bigrams,
    );
    await this.cases.insertActivity(manager, {
      ...this.entry({ ...record, number, closedAt: null }, author, record.createdAt),
      kind: 'system',
      event: 'created',
    });
    await this.outbox.record(manager, {
      type: 'case-management.case.created',
      actor: { userId: author.id, ...(author.role === 'customer' ? { tenant: record.tenantNumber } : {}) },
      target: { type: 'case', id: number },
      outcome: 'success',
      tenants: [record.tenantNumber],
    });
    return number;
  }

  private async addComment(scope: CaseScope, number: string, body: string, author: Author): Promise<void> {
    const html = this.richText(body, 'body');
    const { c, moved } = await this.cases.transaction(async (manager) => {
      const c = await this.locked(manager, scope, number);
      if (c.status === 'closed') {
        throw new DomainError(ErrorCode.CaseClosed);
      }
      const now = this.clock.now();
      await this.recordComment(manager, c, author, html, now);
      await this.outbox.record(manager, {
        type: 'case-management.case.commented',
        actor: { userId: author.id, ...(author.role === 'customer' ? { tenant: c.tenantNumber } : {}) },
        target: { type: 'case', id: c.number },
        outcome: 'success',
        tenants: [c.tenantNumber],
      });
      if (author.role === 'customer' && c.status === 'awaiting_customer') {
        await this.moveStatus(manager, c, 'in_progress', author, now, 'customer_replied');
        return { c: { ...c, status: 'in_progress' as const }, moved: true };
      }
      await this.cases.touch(manager, c.id, now);
      return { c, moved: false };
    });
    if (author.role === 'operator') {
      await this.mailChange(c, 'operator_reply', html);
    } else if (moved) {
      await this.mailChange(c, 'status_changed');
    }
  }

  private async mailChange(c: CaseRecord, event: CaseUpdateEvent, replyHtml?: string): Promise<void> {
    const watchers = (await this.cases.watchersOf([c.id])).get(c.id) ?? [];
    await this.mail.caseChanged(
      c,
      watchers.map((w) => w.userId),
      event,
      replyHtml,
    );
  }

  private async moveStatus(
    manager: EntityManager,
    c: CaseRecord,
    to: CaseStatus,
    author: Author,
    at: Date,
    reason?: string,
  ): Promise<void> {
    await this.cases.setStatus(manager, c.id, to, at);
    await this.cases.insertActivity(manager, {
      ...this.entry(c, author, at),
      kind: 'system',
      event: 'status_changed',
      data: { from: c.status, to, ...(reason ? { reason } : {}) },
    });
    await this.outbox.record(manager, {
      type: 'case-management.case.status_changed',
      actor: { userId: author.id, ...(author.role === 'customer' ? { tenant: c.tenantNumber } : {}) },
      target: { type: 'case', id: c.number },
      outcome: 'success',
      reasons: [`${c.status}->${to}`, ...(reason ? [reason] : [])],
      tenants: [c.tenantNumber],
    });
  }

  private entry(c: CaseRecord, author: Author, at: Date): CaseActivity {
    return {
      id: this.ids.uuid(),
      caseId: c.id,
      tenantNumber: c.tenantNumber,
      kind: 'system',
      authorId: author.id,
      authorName: author.name,
      authorRole: author.role,
      body: null,
      event: null,
      data: null,
      at,
    };
  }

  /** A comment and its words in the case's searchable text (CASE-8: comments are searched too). */
  private async recordComment(
    manager: EntityManager,
    c: CaseRecord,
    author: Author,
    html: string,
    at: Date,
  ): Promise<void> {
    await this.cases.insertActivity(manager, { ...this.entry(c, author, at), kind: 'comment', body: html });
    await this.cases.addSearchText(manager, c.id, foldText(plainText(html)), bigrams);
  }

  private async locked(manager: EntityManager, scope: CaseScope, number: string): Promise<CaseRecord> {
    const c = await this.cases.lock(manager, scope, number);
    if (!c) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return c;
  }

  /** Sanitised HTML that still says something; an input of only markup is malformed. */
  private richText(html: string, field: string): string {
    return richTextField(html, field);
  }

  private async people(tenant: string, ids: string[]): Promise<Map<string, DirectoryUser>> {
    const users = await this.rpc.send('auth.directory.tenant_users', { tenant, ids });
    return new Map(users.map((u) => [u.id, u]));
  }

  private async customerAuthor(tenant: string, userId: string): Promise<Author> {
    const me = (await this.people(tenant, [userId])).get(userId);
    if (!me) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    return { id: userId, name: me.name, role: 'customer' };
  }

  private reader(caller: CaseCaller, language: Language): CaseReader {
    return { role: caller.kind, language, provider: this.provider };
  }

  private async summary(caller: CaseCaller, number: string, language: Language): Promise<CaseSummaryView> {
    const c = await this.cases.find(caller.scope, number);
    if (!c) {
      throw new DomainError(ErrorCode.NotFound);
    }
    const watchers = await this.cases.watchersOf([c.id]);
    return caseSummaryView(c, watchers.get(c.id) ?? [], this.reader(caller, language));
  }

  private async detail(caller: CaseCaller, number: string, language: Language): Promise<CaseDetailView> {
    const c = await this.cases.find(caller.scope, number);
    if (!c) {
      throw new DomainError(ErrorCode.NotFound);
    }
    const [watchers, activity, attachments] = await Promise.all([
      this.cases.watchersOf([c.id]),
      this.cases.activityOf(c),
      this.cases.attachmentsOf(c),
    ]);
    return caseDetailView(c, watchers.get(c.id) ?? [], activity, attachments, this.reader(caller, language));
  }

  private async page(caller: CaseCaller, query: CaseListQueryDto, language: Language): Promise<CaseListView> {
    const groups =
      query.filter === undefined
        ? []
        : parseFilter(
            query.filter,
            caller.kind === 'operator' ? OPERATOR_FILTER_FIELDS : CUSTOMER_FILTER_FIELDS,
          );
    const sql = caseListSql(query, (params) => {
      const filter = filterSql(groups, params);
      return [...(filter ? [filter] : []), ...(query.q === undefined ? [] : keywordSql(query.q, params))];
    });
    const found = await this.cases.list(caller.scope, sql);
    const watchers = await this.cases.watchersOf(found.rows.map((c) => c.id));
    const reader = this.reader(caller, language);
    return {
      items: found.rows.map((c) => caseSummaryView(c, watchers.get(c.id) ?? [], reader)),
      total: Math.min(found.counted, CASE_TOTAL_CAP),
      totalIsExact: found.counted <= CASE_TOTAL_CAP,
      page: query.page ?? 1,
      pageSize: sql.limit,
    };
  }
}
