import { Injectable } from '@nestjs/common';
import { AttachmentStore } from '@app/attachment-store';
import { Clock } from '@app/config';
import {
  AttachmentDownload,
  AttachmentTicket,
  DomainError,
  ErrorCode,
  KbUploadCommitRequest,
  KnowledgeFileRole,
  KnowledgeFileView,
  Principal,
  sanitizeFileName,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { AppLogger, InjectLogger } from '@app/observability';
import { CaseCaller, customerOf, operatorOf } from '../caller/case-caller';
import { IdSource } from '../common/id-source';
import { KnowledgeFile, KnowledgeFilesRepository } from './knowledge-files.repository';
import { KnowledgeRepository } from './knowledge.repository';

/**
 * Files of knowledge articles (CASE-10): attachments, and the file a document article is. The bytes
 * never pass through here — the gateway streams them to the same AttachmentStore as case attachments
 * (AttachmentTransfer) — this service decides who may upload to or read which article, reserves the
 * key an upload writes to (ids only: `knowledge/<article id>/<file id>`), and commits the record with
 * its audit fact in one transaction under the article's row lock. A reader reaches a file only
 * through an article found in their scope, so another base's file is `not_found`, as a missing one.
 */
@Injectable()
export class KnowledgeFilesService {
  private readonly logger: AppLogger;

  constructor(
    private readonly files: KnowledgeFilesRepository,
    private readonly knowledge: KnowledgeRepository,
    private readonly store: AttachmentStore,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: KnowledgeFilesService.name });
  }

  /** Operators: may this upload begin? If so, the file's id and the key its bytes go to. */
  async begin(
    principal: Principal | undefined,
    number: string,
    role: KnowledgeFileRole,
  ): Promise<AttachmentTicket> {
    const operator = operatorOf(principal);
    const article = await this.knowledge.article(operator.scope, number);
    if (!article) {
      throw new DomainError(ErrorCode.NotFound);
    }
    if (role === 'document' && article.format !== 'document') {
      throw notADocument();
    }
    const id = this.ids.uuid();
    const key = `knowledge/${article.id}/${id}`;
    await this.files.reserve({
      id,
      articleId: article.id,
      role,
      storageKey: key,
      uploadedById: operator.userId,
      createdAt: this.clock.now(),
    });
    return { id, key };
  }

  /**
   * The bytes are stored: records the file. A document article's new file replaces its old one, whose
   * bytes are deleted once the change has committed. An upload that is not the caller's pending one
   * of this article is `not_found`; its bytes stay an orphan for the gateway (or the sweep) to remove.
   */
  async commit(principal: Principal | undefined, request: KbUploadCommitRequest): Promise<KnowledgeFileView> {
    const operator = operatorOf(principal);
    const name = sanitizeFileName(request.name);
    const facts = { name, size: request.size, sha256: request.sha256, contentType: request.contentType };
    const now = this.clock.now();
    const replaced = await this.knowledge.transaction(async (manager) => {
      const article = await this.knowledge.lockArticleRow(manager, operator.scope, request.number);
      if (!article) {
        throw new DomainError(ErrorCode.NotFound);
      }
      if (request.role === 'document' && article.format !== 'document') {
        throw notADocument();
      }
      const done = await this.files.complete(
        manager,
        article.id,
        request.role,
        request.id,
        operator.userId,
        facts,
        now,
      );
      if (!done) {
        throw new DomainError(ErrorCode.NotFound);
      }
      let old: { id: string; storageKey: string } | null = null;
      if (request.role === 'document') {
        old = await this.files.setDocument(manager, operator.scope, article.id, request.id, now);
      } else {
        await this.files.touch(manager, article.id, now);
      }
      await this.outbox.record(manager, {
        type: 'case-management.knowledge_article.file_added',
        actor: { userId: operator.userId },
        target: { type: 'knowledge_article', id: request.number },
        outcome: 'success',
        reasons: [
          `attachment:${request.id}`,
          `role:${request.role}`,
          `size:${request.size}`,
          `type:${request.contentType}`,
        ],
      });
      return old;
    });
    if (replaced) {
      await this.forgetBytes([replaced.storageKey]);
    }
    return { id: request.id, ...facts, uploadedAt: now.toISOString() };
  }

  /** May the caller download this file? If so, records the download and says where the bytes are. */
  async open(
    principal: Principal | undefined,
    as: CaseCaller['kind'],
    number: string,
    id: string,
  ): Promise<AttachmentDownload> {
    const caller: CaseCaller = as === 'operator' ? operatorOf(principal) : customerOf(principal);
    const found = await this.files.findCommitted(caller.scope, number, id);
    if (!found) {
      throw new DomainError(ErrorCode.NotFound);
    }
    const tenant = caller.kind === 'customer' ? caller.scope.tenant : undefined;
    await this.knowledge.transaction((manager) =>
      this.outbox.record(manager, {
        type: 'case-management.knowledge_article.file_downloaded',
        actor: { userId: caller.userId, ...(tenant ? { tenant } : {}) },
        target: { type: 'knowledge_article', id: found.articleNumber },
        outcome: 'success',
        reasons: [`attachment:${found.id}`],
        ...(tenant ? { tenants: [tenant] } : {}),
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

  /** The committed files of an article in scope: its attachments and its document's file. */
  async filesOf(article: { id: string; documentId: string | null }): Promise<{
    attachments: KnowledgeFileView[];
    document: KnowledgeFileView | null;
  }> {
    const files = await this.files.committedOf([article.id]);
    const document = files.find((f) => f.id === article.documentId);
    return {
      attachments: files.filter((f) => f.role === 'attachment').map(fileView),
      document: document ? fileView(document) : null,
    };
  }

  /**
   * Deletes bytes whose records are gone (a replaced document file, a deleted article's files). A
   * failure leaves bytes no record names; it is logged by count only and costs nothing but space.
   */
  async forgetBytes(keys: string[]): Promise<void> {
    let failed = 0;
    for (const key of keys) {
      await this.store.delete(key).catch(() => {
        failed += 1;
      });
    }
    if (failed > 0) {
      this.logger.warn({ failed }, 'knowledge file bytes not deleted');
    }
  }
}

function fileView(f: KnowledgeFile): KnowledgeFileView {
  return {
    id: f.id,
    name: f.name,
    size: f.size,
    contentType: f.contentType,
    sha256: f.sha256,
    uploadedAt: f.committedAt.toISOString(),
  };
}

function notADocument(): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, {
    fields: { file: ['only a document article takes a document file'] },
  });
}
