import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, CaseManagementEnv, Clock } from '@app/config';
import {
  AttachmentDownload,
  AttachmentTicket,
  AttachmentView,
  DomainError,
  ErrorCode,
  Language,
  MAX_SUBJECT,
  OpsWorkRequestItemView,
  OpsWorkRequestView,
  Principal,
  sanitizeFileName,
  SubmitWorkRequestDto,
  WorkRequestAcceptedView,
  WorkRequestAttachmentCommitRequest,
  WorkRequestItemDto,
  WorkRequestItemView,
  WorkRequestStatus,
  WorkRequestView,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { RpcClient } from '@app/messaging';
import { CaseActivity } from '../activity/case-activity.entity';
import { AttachmentsRepository, StoredRequestFile } from '../attachments/attachments.repository';
import { CaseScope, customerOf, operatorOf } from '../caller/case-caller';
import { CasesRepository, NewCase } from '../cases/cases.repository';
import { CategoriesRepository } from '../categories/categories.repository';
import { IdSource } from '../common/id-source';
import { isUniqueViolation } from '../common/unique-violation.util';
import { ContractsRepository } from '../contracts/contracts.repository';
import { plainText, sanitizeRichText } from '../text/rich-text.sanitizer';
import { bigrams, foldText } from '../text/search-text.util';
import { answerText, checkAnswers, formOf, formProblems } from './work-request-form';
import { WorkRequestMail } from './work-request-mail';
import { WorkRequest } from './work-request.entity';
import { WorkRequestItem } from './work-request-item.entity';
import { WorkRequestsRepository } from './work-requests.repository';

/** The category of every case an accepted work request opens (seeded with the cases' categories). */
export const WORK_REQUEST_CATEGORY = 'work_request';

/**
 * Work requests (CASE-7). Operators keep a catalogue of items, each with a form; a customer submits a
 * request for an item of a service the tenant contracts, its values checked against the form, and
 * adds files while it waits; an operator accepts it — its case is opened in the same transaction,
 * the request's files becoming the case's — or rejects it with a reason. Every decision holds the
 * request's row lock, so two operators deciding at once queue one behind the other and the second
 * finds the request decided (`409 invalid_transition`): one request, at most one case.
 */
@Injectable()
export class WorkRequestsService {
  private readonly provider: string;

  constructor(
    private readonly requests: WorkRequestsRepository,
    private readonly cases: CasesRepository,
    private readonly contracts: ContractsRepository,
    private readonly categories: CategoriesRepository,
    private readonly attachments: AttachmentsRepository,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly mail: WorkRequestMail,
    @Inject(APP_CONFIG) config: CaseManagementEnv,
  ) {
    this.provider = config.CASE_PROVIDER_NAME;
  }

  // ---- catalogue ------------------------------------------------------------------------------

  async items(principal: Principal | undefined, language: Language): Promise<WorkRequestItemView[]> {
    const customer = customerOf(principal);
    const items = await this.requests.activeItemsFor(customer.scope);
    return items.map((item) => itemView(item, language));
  }

  async opsItems(principal: Principal | undefined): Promise<OpsWorkRequestItemView[]> {
    operatorOf(principal);
    return (await this.requests.listItems()).map(opsItemView);
  }

  async createItem(
    principal: Principal | undefined,
    dto: WorkRequestItemDto,
  ): Promise<OpsWorkRequestItemView> {
    const operator = operatorOf(principal);
    await this.checkItem(dto);
    const now = this.clock.now();
    const item = itemOf(this.ids.uuid(), dto, now, now);
    await this.writeItem(dto.code, (manager) => this.requests.insertItem(manager, item), {
      type: 'case-management.work_request_item.created',
      operatorId: operator.userId,
      itemId: item.id,
    });
    return opsItemView(item);
  }

  async updateItem(
    principal: Principal | undefined,
    id: string,
    dto: WorkRequestItemDto,
  ): Promise<OpsWorkRequestItemView> {
    const operator = operatorOf(principal);
    await this.checkItem(dto);
    const existing = await this.requests.findItem(id);
    if (!existing) {
      throw new DomainError(ErrorCode.NotFound);
    }
    const item = itemOf(id, dto, existing.createdAt, this.clock.now());
    await this.writeItem(
      dto.code,
      async (manager) => {
        if (!(await this.requests.updateItem(manager, item))) {
          throw new DomainError(ErrorCode.NotFound);
        }
      },
      { type: 'case-management.work_request_item.updated', operatorId: operator.userId, itemId: id },
    );
    return opsItemView(item);
  }

  // ---- requests -------------------------------------------------------------------------------

  async submit(
    principal: Principal | undefined,
    dto: SubmitWorkRequestDto,
    language: Language,
  ): Promise<WorkRequestView> {
    const customer = customerOf(principal);
    const item = await this.requests.activeItemFor(customer.scope, dto.itemId);
    if (!item) {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { itemId: ['is not an item of the catalogue your organisation can request'] },
      });
    }
    const { answers, problems } = checkAnswers(item.fields, dto.fields);
    if (Object.keys(problems).length > 0) {
      throw new DomainError(ErrorCode.ValidationFailed, { fields: problems });
    }
    const [me] = await this.rpc.send('auth.directory.tenant_users', {
      tenant: customer.scope.tenant,
      ids: [customer.userId],
    });
    if (!me) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    const request: WorkRequest = {
      id: this.ids.uuid(),
      tenantNumber: customer.scope.tenant,
      itemId: item.id,
      itemCode: item.code,
      itemNameJa: item.nameJa,
      itemNameEn: item.nameEn,
      serviceCode: item.serviceCode,
      form: item.fields,
      answers,
      requesterId: customer.userId,
      requesterName: me.name,
      requesterLanguage: me.language,
      status: 'submitted',
      submittedAt: this.clock.now(),
      decidedAt: null,
      decidedBy: null,
      reason: null,
      caseId: null,
      caseNumber: null,
    };
    await this.requests.transaction(async (manager) => {
      await this.requests.insertRequest(manager, request);
      await this.outbox.record(manager, {
        type: 'case-management.work_request.submitted',
        actor: { userId: customer.userId, tenant: request.tenantNumber },
        target: { type: 'work_request', id: request.id },
        outcome: 'success',
        reasons: [`item:${item.code}`],
        tenants: [request.tenantNumber],
      });
    });
    await this.mail.received(request);
    return requestView(request, [], language);
  }

  async list(principal: Principal | undefined, language: Language): Promise<WorkRequestView[]> {
    const customer = customerOf(principal);
    return this.views(customer.scope, await this.requests.listRequests(customer.scope), language);
  }

  async opsList(
    principal: Principal | undefined,
    status: WorkRequestStatus | undefined,
    language: Language,
  ): Promise<OpsWorkRequestView[]> {
    const operator = operatorOf(principal);
    const found = await this.requests.listRequests(operator.scope, status);
    return this.views(operator.scope, found, language, true) as Promise<OpsWorkRequestView[]>;
  }

  /** May the customer add a file to this request? If so, the attachment's id and its store key. */
  async beginAttachment(principal: Principal | undefined, id: string): Promise<AttachmentTicket> {
    const customer = customerOf(principal);
    const request = await this.requests.findRequest(customer.scope, id);
    if (!request) {
      throw new DomainError(ErrorCode.NotFound);
    }
    if (request.status !== 'submitted') {
      throw new DomainError(ErrorCode.WorkRequestDecided, { status: request.status });
    }
    const [me] = await this.rpc.send('auth.directory.tenant_users', {
      tenant: request.tenantNumber,
      ids: [customer.userId],
    });
    if (!me) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    const attachmentId = this.ids.uuid();
    const key = `${request.tenantNumber}/work-requests/${request.id}/${attachmentId}`;
    await this.attachments.reserve({
      id: attachmentId,
      caseId: null,
      workRequestId: request.id,
      tenantNumber: request.tenantNumber,
      storageKey: key,
      uploadedById: customer.userId,
      uploadedByName: me.name,
      uploadedByRole: 'customer',
      createdAt: this.clock.now(),
    });
    return { id: attachmentId, key };
  }

  /**
   * The bytes are stored: records the file under the request's row lock. A request decided
   * meanwhile refuses it (its bytes stay an orphan for the sweep), so a file is either the accepted
   * request's case's or was never the request's.
   */
  async commitAttachment(
    principal: Principal | undefined,
    commit: WorkRequestAttachmentCommitRequest,
  ): Promise<AttachmentView> {
    const customer = customerOf(principal);
    const name = sanitizeFileName(commit.name);
    const facts = { name, size: commit.size, sha256: commit.sha256, contentType: commit.contentType };
    await this.requests.transaction(async (manager) => {
      const request = await this.requests.lockRequest(manager, customer.scope, commit.requestId);
      if (!request) {
        throw new DomainError(ErrorCode.NotFound);
      }
      if (request.status !== 'submitted') {
        throw new DomainError(ErrorCode.WorkRequestDecided, { status: request.status });
      }
      const uploader = await this.attachments.completeForRequest(
        manager,
        request.id,
        commit.id,
        customer.userId,
        facts,
        this.clock.now(),
      );
      if (uploader === null) {
        throw new DomainError(ErrorCode.NotFound);
      }
      await this.outbox.record(manager, {
        type: 'case-management.work_request.attachment_added',
        actor: { userId: customer.userId, tenant: request.tenantNumber },
        target: { type: 'work_request', id: request.id },
        outcome: 'success',
        reasons: [`attachment:${commit.id}`, `size:${commit.size}`, `type:${commit.contentType}`],
        tenants: [request.tenantNumber],
      });
    });
    return { id: commit.id, ...facts };
  }

  /** May the caller download this file of a request? If so, records it and says where the bytes are. */
  async openAttachment(
    principal: Principal | undefined,
    requestId: string,
    id: string,
  ): Promise<AttachmentDownload> {
    const caller = principal?.role === 'operator' ? operatorOf(principal) : customerOf(principal);
    const request = await this.requests.findRequest(caller.scope, requestId);
    if (!request) {
      throw new DomainError(ErrorCode.NotFound);
    }
    const file = await this.attachments.findCommittedOfRequest(request.tenantNumber, request.id, id);
    if (!file) {
      throw new DomainError(ErrorCode.NotFound);
    }
    await this.requests.transaction((manager) =>
      this.outbox.record(manager, {
        type: 'case-management.work_request.attachment_downloaded',
        actor: {
          userId: caller.userId,
          ...(caller.kind === 'customer' ? { tenant: request.tenantNumber } : {}),
        },
        target: { type: 'work_request', id: request.id },
        outcome: 'success',
        reasons: [`attachment:${file.id}`],
        tenants: [request.tenantNumber],
      }),
    );
    return {
      id: file.id,
      name: file.name,
      size: file.size,
      sha256: file.sha256,
      contentType: file.contentType,
      key: file.storageKey,
    };
  }

  /**
   * An operator accepts: in one transaction the request is decided, its case opened (category work
   * request; subject the item's name in the requester's language; requester the submitter; the
   * description what was submitted) and the request's files become the case's — the same records
   * and bytes. The "accepted" e-mail follows the commit.
   */
  async accept(principal: Principal | undefined, id: string): Promise<WorkRequestAcceptedView> {
    const operator = operatorOf(principal);
    const category = await this.categories.find(WORK_REQUEST_CATEGORY);
    if (!category) {
      // Seeded by a migration; without it the service is misconfigured, not the request wrong.
      throw new Error(`category ${WORK_REQUEST_CATEGORY} is missing`);
    }
    const { request, caseNumber } = await this.requests.transaction(async (manager) => {
      const request = await this.lockedUndecided(manager, operator.scope, id);
      const contract = await this.contracts.contractFor(request.tenantNumber, request.serviceCode, manager);
      if (!contract) {
        throw new DomainError(ErrorCode.ServiceNotContracted, { service: request.serviceCode });
      }
      const now = this.clock.now();
      const language = request.requesterLanguage;
      const subject = (language === 'en' ? request.itemNameEn : request.itemNameJa).slice(0, MAX_SUBJECT);
      const description = caseDescription(request, language);
      const record: NewCase = {
        id: this.ids.uuid(),
        tenantNumber: request.tenantNumber,
        contractor: contract.contractor,
        serviceCode: contract.serviceCode,
        categoryCode: category.code,
        subject,
        description,
        origin: 'work_request',
        requesterId: request.requesterId,
        requesterName: request.requesterName,
        status: 'new',
        // CASE-4 counts customers' inquiries; work is ordered, not asked about.
        countsAsInquiry: false,
        createdAt: now,
        updatedAt: now,
      };
      const caseNumber = await this.cases.insertCase(manager, record);
      await this.cases.addSearchText(
        manager,
        record.id,
        foldText(`${subject}\n${plainText(description)}`),
        bigrams,
      );
      const adopted = await this.attachments.adoptIntoCase(
        manager,
        request.tenantNumber,
        request.id,
        record.id,
      );
      const entry = (event: string, data: Record<string, unknown>): CaseActivity => ({
        id: this.ids.uuid(),
        caseId: record.id,
        tenantNumber: record.tenantNumber,
        kind: 'system',
        authorId: operator.userId,
        authorName: this.provider,
        authorRole: 'operator',
        body: null,
        event,
        data,
        at: now,
      });
      await this.cases.insertActivity(
        manager,
        entry('created', { workRequestId: request.id, item: request.itemCode }),
        ...adopted.map((a) =>
          entry('attachment_added', {
            attachmentId: a.id,
            name: a.name,
            size: a.size,
            contentType: a.contentType,
          }),
        ),
      );
      await this.requests.decide(manager, request.id, {
        status: 'accepted',
        at: now,
        by: operator.userId,
        caseId: record.id,
        caseNumber,
      });
      await this.outbox.record(manager, {
        type: 'case-management.case.created',
        actor: { userId: operator.userId },
        target: { type: 'case', id: caseNumber },
        outcome: 'success',
        reasons: ['work_request'],
        tenants: [request.tenantNumber],
      });
      await this.outbox.record(manager, {
        type: 'case-management.work_request.accepted',
        actor: { userId: operator.userId },
        target: { type: 'work_request', id: request.id },
        outcome: 'success',
        reasons: [`case:${caseNumber}`],
        tenants: [request.tenantNumber],
      });
      return { request, caseNumber };
    });
    await this.mail.accepted(request, caseNumber);
    return { caseNumber };
  }

  async reject(
    principal: Principal | undefined,
    id: string,
    reason: string,
    language: Language,
  ): Promise<OpsWorkRequestView> {
    const operator = operatorOf(principal);
    const text = reason.trim();
    if (text === '') {
      throw new DomainError(ErrorCode.ValidationFailed, { fields: { reason: ['reason must contain text'] } });
    }
    const request = await this.requests.transaction(async (manager) => {
      const request = await this.lockedUndecided(manager, operator.scope, id);
      const now = this.clock.now();
      await this.requests.decide(manager, request.id, {
        status: 'rejected',
        at: now,
        by: operator.userId,
        reason: text,
      });
      await this.outbox.record(manager, {
        type: 'case-management.work_request.rejected',
        actor: { userId: operator.userId },
        target: { type: 'work_request', id: request.id },
        outcome: 'success',
        tenants: [request.tenantNumber],
      });
      return {
        ...request,
        status: 'rejected' as const,
        decidedAt: now,
        decidedBy: operator.userId,
        reason: text,
      };
    });
    await this.mail.rejected(request, text);
    const files = await this.attachments.ofWorkRequests(operator.scope, [request.id]);
    return opsRequestView(request, files.get(request.id) ?? [], language);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Accepting or rejecting a decided request is `409 invalid_transition` (decided is final). */
  private async lockedUndecided(manager: EntityManager, scope: CaseScope, id: string): Promise<WorkRequest> {
    const request = await this.requests.lockRequest(manager, scope, id);
    if (!request) {
      throw new DomainError(ErrorCode.NotFound);
    }
    if (request.status !== 'submitted') {
      throw new DomainError(ErrorCode.InvalidTransition, { status: request.status });
    }
    return request;
  }

  private async checkItem(dto: WorkRequestItemDto): Promise<void> {
    const problems = formProblems(dto.fields);
    if (!(await this.contracts.findService(dto.service))) {
      problems.service = ['service does not exist'];
    }
    if (Object.keys(problems).length > 0) {
      throw new DomainError(ErrorCode.ValidationFailed, { fields: problems });
    }
  }

  private async writeItem(
    code: string,
    write: (manager: EntityManager) => Promise<void>,
    fact: {
      type: 'case-management.work_request_item.created' | 'case-management.work_request_item.updated';
      operatorId: string;
      itemId: string;
    },
  ): Promise<void> {
    try {
      await this.requests.transaction(async (manager) => {
        await write(manager);
        await this.outbox.record(manager, {
          type: fact.type,
          actor: { userId: fact.operatorId },
          target: { type: 'work_request_item', id: fact.itemId },
          outcome: 'success',
          reasons: [`code:${code}`],
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(ErrorCode.Conflict, { code });
      }
      throw error;
    }
  }

  private async views(
    scope: CaseScope,
    found: WorkRequest[],
    language: Language,
    ops = false,
  ): Promise<WorkRequestView[]> {
    const files = await this.attachments.ofWorkRequests(
      scope,
      found.map((r) => r.id),
    );
    return found.map((r) =>
      ops
        ? opsRequestView(r, files.get(r.id) ?? [], language)
        : requestView(r, files.get(r.id) ?? [], language),
    );
  }
}

function itemOf(id: string, dto: WorkRequestItemDto, createdAt: Date, updatedAt: Date): WorkRequestItem {
  return {
    id,
    code: dto.code,
    nameJa: dto.name.ja.trim(),
    nameEn: dto.name.en.trim(),
    descriptionJa: dto.description.ja.trim(),
    descriptionEn: dto.description.en.trim(),
    serviceCode: dto.service,
    fields: formOf(dto.fields),
    active: dto.active ?? true,
    createdAt,
    updatedAt,
  };
}

function itemView(item: WorkRequestItem, language: Language): WorkRequestItemView {
  return {
    id: item.id,
    code: item.code,
    name: language === 'ja' ? item.nameJa : item.nameEn,
    description: language === 'ja' ? item.descriptionJa : item.descriptionEn,
    service: item.serviceCode,
    fields: item.fields.map((f) => ({
      key: f.key,
      label: f.label[language],
      type: f.type,
      required: f.required,
      ...(f.options ? { options: f.options.map((o) => ({ value: o.value, label: o.label[language] })) } : {}),
    })),
  };
}

function opsItemView(item: WorkRequestItem): OpsWorkRequestItemView {
  return {
    id: item.id,
    code: item.code,
    name: { ja: item.nameJa, en: item.nameEn },
    description: { ja: item.descriptionJa, en: item.descriptionEn },
    service: item.serviceCode,
    fields: item.fields,
    active: item.active,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

function requestView(r: WorkRequest, files: StoredRequestFile[], language: Language): WorkRequestView {
  return {
    id: r.id,
    item: { id: r.itemId, code: r.itemCode, name: language === 'ja' ? r.itemNameJa : r.itemNameEn },
    status: r.status,
    submittedAt: r.submittedAt.toISOString(),
    ...(r.decidedAt ? { decidedAt: r.decidedAt.toISOString() } : {}),
    ...(r.reason !== null ? { reason: r.reason } : {}),
    ...(r.caseNumber !== null ? { caseNumber: r.caseNumber } : {}),
    requester: { id: r.requesterId, name: r.requesterName },
    fields: r.form
      .filter((f) => r.answers[f.key] !== undefined)
      .map((f) => ({ key: f.key, label: f.label[language], type: f.type, value: r.answers[f.key] })),
    attachments: files.map((f) => ({
      id: f.id,
      name: f.name,
      size: f.size,
      sha256: f.sha256,
      contentType: f.contentType,
      uploadedAt: f.committedAt.toISOString(),
    })),
  };
}

function opsRequestView(r: WorkRequest, files: StoredRequestFile[], language: Language): OpsWorkRequestView {
  return { ...requestView(r, files, language), tenant: r.tenantNumber, service: r.serviceCode };
}

/** The case's description: what was submitted, field by field, as sanitised HTML. */
function caseDescription(r: WorkRequest, language: Language): string {
  const title = language === 'en' ? r.itemNameEn : r.itemNameJa;
  const rows = r.form
    .filter((f) => r.answers[f.key] !== undefined)
    .map(
      (f) =>
        `<p><b>${escapeHtml(f.label[language])}</b><br>${escapeHtml(
          answerText(f, r.answers[f.key], language),
        ).replace(/\r?\n/g, '<br>')}</p>`,
    );
  return sanitizeRichText(`<p><b>${escapeHtml(`${r.itemCode} ${title}`)}</b></p>${rows.join('')}`);
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
