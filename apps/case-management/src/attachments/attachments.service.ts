import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, CaseManagementEnv, Clock } from '@app/config';
import {
  AttachmentCommitRequest,
  AttachmentDownload,
  AttachmentTicket,
  AttachmentView,
  DomainError,
  ErrorCode,
  Principal,
  sanitizeFileName,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { RpcClient } from '@app/messaging';
import { CaseActivity } from '../activity/case-activity.entity';
import { CaseCaller, customerOf, operatorOf } from '../caller/case-caller';
import { IdSource } from '../common/id-source';
import { CasesRepository } from '../cases/cases.repository';
import { AttachmentsRepository } from './attachments.repository';

/**
 * Attachments of cases (CASE-6). The bytes never pass through here: the gateway streams them to the
 * AttachmentStore. This service decides who may attach to or read which case, reserves the key an
 * upload writes to (made of ids, never of the file's name), and commits the record with its activity
 * entry and audit fact in one transaction under the case's row lock — so an attachment is either
 * wholly there (record, entry, fact) or an orphan the sweep removes.
 */
@Injectable()
export class AttachmentsService {
  private readonly provider: string;

  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly cases: CasesRepository,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    @Inject(APP_CONFIG) config: CaseManagementEnv,
  ) {
    this.provider = config.CASE_PROVIDER_NAME;
  }

  /** May the caller attach to this case? If so, the attachment's id and the key its bytes go to. */
  async begin(principal: Principal | undefined, number: string): Promise<AttachmentTicket> {
    const caller = callerOf(principal);
    const c = await this.cases.find(caller.scope, number);
    if (!c) {
      throw new DomainError(ErrorCode.NotFound);
    }
    if (c.status === 'closed') {
      throw new DomainError(ErrorCode.CaseClosed);
    }
    const uploaderName = await this.nameOf(caller, c.tenantNumber);
    const id = this.ids.uuid();
    const key = `${c.tenantNumber}/${c.id}/${id}`;
    await this.attachments.reserve({
      id,
      caseId: c.id,
      tenantNumber: c.tenantNumber,
      storageKey: key,
      uploadedById: caller.userId,
      uploadedByName: uploaderName,
      uploadedByRole: caller.kind,
      createdAt: this.clock.now(),
    });
    return { id, key };
  }

  /**
   * The bytes are stored: records the attachment. A case closed meanwhile refuses it (`case_closed`),
   * and an upload that is not the caller's pending one of this case is `not_found`; either way the
   * bytes stay an orphan for the sweep.
   */
  async commit(principal: Principal | undefined, request: AttachmentCommitRequest): Promise<AttachmentView> {
    const caller = callerOf(principal);
    const name = sanitizeFileName(request.name);
    const facts = { name, size: request.size, sha256: request.sha256, contentType: request.contentType };
    await this.cases.transaction(async (manager) => {
      const c = await this.cases.lock(manager, caller.scope, request.number);
      if (!c) {
        throw new DomainError(ErrorCode.NotFound);
      }
      if (c.status === 'closed') {
        throw new DomainError(ErrorCode.CaseClosed);
      }
      const now = this.clock.now();
      const uploaderName = await this.attachments.complete(
        manager,
        c.id,
        request.id,
        caller.userId,
        facts,
        now,
      );
      if (uploaderName === null) {
        throw new DomainError(ErrorCode.NotFound);
      }
      const entry: CaseActivity = {
        id: this.ids.uuid(),
        caseId: c.id,
        tenantNumber: c.tenantNumber,
        kind: 'system',
        authorId: caller.userId,
        authorName: uploaderName,
        authorRole: caller.kind,
        body: null,
        event: 'attachment_added',
        data: { attachmentId: request.id, name, size: request.size, contentType: request.contentType },
        at: now,
      };
      await this.cases.insertActivity(manager, entry);
      await this.cases.touch(manager, c.id, now);
      await this.outbox.record(manager, {
        type: 'case-management.case.attachment_added',
        actor: { userId: caller.userId, ...(caller.kind === 'customer' ? { tenant: c.tenantNumber } : {}) },
        target: { type: 'case', id: c.number },
        outcome: 'success',
        reasons: [`attachment:${request.id}`, `size:${request.size}`, `type:${request.contentType}`],
        tenants: [c.tenantNumber],
      });
    });
    return { id: request.id, ...facts };
  }

  /** May the caller download this attachment? If so, records the download and says where the bytes are. */
  async open(principal: Principal | undefined, number: string, id: string): Promise<AttachmentDownload> {
    const caller = callerOf(principal);
    const found = await this.attachments.findCommitted(caller.scope, number, id);
    if (!found) {
      throw new DomainError(ErrorCode.NotFound);
    }
    await this.cases.transaction((manager) =>
      this.outbox.record(manager, {
        type: 'case-management.case.attachment_downloaded',
        actor: {
          userId: caller.userId,
          ...(caller.kind === 'customer' ? { tenant: found.tenantNumber } : {}),
        },
        target: { type: 'case', id: found.caseNumber },
        outcome: 'success',
        reasons: [`attachment:${found.id}`],
        tenants: [found.tenantNumber],
      }),
    );
    return {
      id: found.id,
      name: found.name,
      size: found.size,
      sha256: found.sha256,
      contentType: found.contentType,
      key: found.storageKey,
    };
  }

  /** The uploader's name as the activity shows it: the provider's for operators (as on their comments). */
  private async nameOf(caller: CaseCaller, tenant: string): Promise<string> {
    if (caller.kind === 'operator') {
      return this.provider;
    }
    const [me] = await this.rpc.send('auth.directory.tenant_users', { tenant, ids: [caller.userId] });
    if (!me) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    return me.name;
  }
}

/** Customers act on their active tenant's cases, operators on every tenant's. */
function callerOf(principal: Principal | undefined): CaseCaller {
  return principal?.role === 'operator' ? operatorOf(principal) : customerOf(principal);
}
