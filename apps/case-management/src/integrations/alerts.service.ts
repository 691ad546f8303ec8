import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, CaseManagementEnv, Clock } from '@app/config';
import { AlertRequest, AlertResult, DomainError, ErrorCode, Language } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { CaseActivity } from '../activity/case-activity.entity';
import { plainText, sanitizeRichText } from '../text/rich-text.sanitizer';
import { CategoriesRepository } from '../categories/categories.repository';
import { IdSource } from '../common/id-source';
import { ContractsRepository } from '../contracts/contracts.repository';
import { CaseRecord } from '../cases/case-record.entity';
import { caseSummaryView } from '../cases/case-views.util';
import { CasesRepository, NewCase } from '../cases/cases.repository';
import { bigrams, foldText } from '../text/search-text.util';
import { AlertMail } from './alert-mail';
import { AlertLink, IntegrationKey, IntegrationsRepository } from './integrations.repository';

/** The category of every alert case (CASE-8's alerts view lists it). */
export const ALERT_CATEGORY = 'alert';

/** What a refusal is recorded as, for an alert that can never be applied. */
type Applied = { kind: 'applied'; created: boolean; c: CaseRecord } | { kind: 'refused'; error: DomainError };

/**
 * CASE-9: an alert from a monitoring system opens a case of category alert for the tenant, or finds
 * the case its external id opened before and updates it (a newer description and severity, a comment).
 * The same code applies an alert the gateway hands over directly and one it queued while this service
 * was away; the gateway's alert id makes either one count once.
 */
@Injectable()
export class AlertsService {
  private readonly provider: string;

  constructor(
    private readonly integrations: IntegrationsRepository,
    private readonly cases: CasesRepository,
    private readonly contracts: ContractsRepository,
    private readonly categories: CategoriesRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly mail: AlertMail,
    @Inject(APP_CONFIG) config: CaseManagementEnv,
  ) {
    this.provider = config.CASE_PROVIDER_NAME;
  }

  async apply(request: AlertRequest, language: Language): Promise<AlertResult> {
    const outcome = await this.applyOnce(request);
    if (outcome.kind === 'refused') {
      throw outcome.error;
    }
    if (outcome.created) {
      await this.mail.alertOpened(outcome.c);
    }
    const watchers = await this.cases.watchersOf([outcome.c.id]);
    return {
      created: outcome.created,
      case: caseSummaryView(outcome.c, watchers.get(outcome.c.id) ?? [], {
        role: 'operator',
        language,
        provider: this.provider,
      }),
    };
  }

  private async applyOnce(request: AlertRequest): Promise<Applied> {
    const { alert } = request;
    const receivedAt = new Date(request.receivedAt);
    const key = await this.integrations.keyById(request.keyId);
    const refusal = await this.refusal(key, request);
    if (refusal) {
      await this.integrations.transaction(async (manager) => {
        if (await this.integrations.receipt(manager, request.alertId)) {
          return;
        }
        await this.integrations.insertReceipt(manager, {
          alertId: request.alertId,
          keyId: request.keyId,
          caseId: null,
          outcome: 'refused',
          receivedAt,
          at: this.clock.now(),
        });
        await this.outbox.record(manager, {
          type: 'case-management.alert.received',
          actor: {},
          target: { type: 'integration', id: request.keyId },
          outcome: 'denied',
          reasons: [refusal.code],
        });
      });
      return { kind: 'refused', error: refusal };
    }
    const integration = key!;
    const tenant = this.tenantOf(integration, alert.tenant)!;
    const description = this.richText(alert.description, 'description');
    const comment = alert.comment === undefined ? undefined : this.richText(alert.comment, 'comment');
    return this.integrations.transaction(async (manager): Promise<Applied> => {
      await this.integrations.lockExternalId(manager, tenant, alert.externalId);
      const receipt = await this.integrations.receipt(manager, request.alertId);
      if (receipt?.caseId) {
        // Applied before (a retried delivery, or the queued copy of an answered call).
        const c = await this.caseById(manager, receipt.caseId);
        return { kind: 'applied', created: receipt.outcome === 'created', c };
      }
      const link = await this.integrations.alertLink(manager, tenant, alert.externalId);
      const now = this.clock.now();
      let c: CaseRecord;
      let outcome: string;
      if (!link) {
        c = await this.open(manager, integration, tenant, request, description, now);
        if (comment !== undefined) {
          await this.addComment(manager, c, integration, comment, now);
        }
        outcome = 'created';
      } else {
        const locked = await this.cases.lock(manager, { kind: 'all' }, link.caseNumber);
        c = locked!;
        outcome = await this.update(manager, integration, c, request, link, description, comment, now);
      }
      await this.integrations.insertReceipt(manager, {
        alertId: request.alertId,
        keyId: integration.id,
        caseId: c.id,
        outcome,
        receivedAt,
        at: now,
      });
      await this.outbox.record(manager, {
        type: 'case-management.alert.received',
        actor: {},
        target: { type: 'case', id: c.number },
        outcome: 'success',
        reasons: [outcome],
        tenants: [tenant],
      });
      return { kind: 'applied', created: outcome === 'created', c: await this.caseById(manager, c.id) };
    });
  }

  /** Why an alert cannot be applied, or null: a revoked key, a missing scope, a tenant or contract. */
  private async refusal(key: IntegrationKey | null, request: AlertRequest): Promise<DomainError | null> {
    if (!key || key.revokedAt !== null) {
      return new DomainError(ErrorCode.Unauthorized);
    }
    if (!key.scopes.includes('alerts:write')) {
      return new DomainError(ErrorCode.Forbidden);
    }
    const tenant = this.tenantOf(key, request.alert.tenant);
    if (tenant === undefined) {
      return new DomainError(ErrorCode.ValidationFailed, {
        fields: { tenant: ['tenant is required unless the key is limited to one tenant'] },
      });
    }
    if (key.tenants.length > 0 && !key.tenants.includes(tenant)) {
      return new DomainError(ErrorCode.Forbidden);
    }
    if (!(await this.contracts.contractFor(tenant, request.alert.service))) {
      return new DomainError(ErrorCode.ServiceNotContracted, { service: request.alert.service });
    }
    return null;
  }

  /** The alert's tenant: as named, or the key's only tenant when it names none. */
  private tenantOf(key: IntegrationKey, named: string | undefined): string | undefined {
    if (named !== undefined) {
      return named;
    }
    return key.tenants.length === 1 ? key.tenants[0] : undefined;
  }

  private async open(
    manager: EntityManager,
    integration: IntegrationKey,
    tenant: string,
    request: AlertRequest,
    description: string,
    now: Date,
  ): Promise<CaseRecord> {
    const { alert } = request;
    const contract = (await this.contracts.contractFor(tenant, alert.service, manager))!;
    const category = await this.categories.find(ALERT_CATEGORY, manager);
    if (!category) {
      // Seeded by a migration; without it the service is misconfigured, not the alert wrong.
      throw new Error(`category ${ALERT_CATEGORY} is missing`);
    }
    const record: NewCase = {
      id: this.ids.uuid(),
      tenantNumber: tenant,
      contractor: contract.contractor,
      serviceCode: contract.serviceCode,
      categoryCode: category.code,
      subject: alert.subject.trim(),
      description,
      origin: 'integration',
      requesterId: null,
      requesterName: null,
      status: 'new',
      // CASE-4: alert cases never count as an open inquiry.
      countsAsInquiry: false,
      createdAt: now,
      updatedAt: now,
    };
    const number = await this.cases.insertCase(manager, record);
    await this.cases.addSearchText(
      manager,
      record.id,
      foldText(`${record.subject}\n${plainText(description)}`),
      bigrams,
    );
    await this.cases.insertActivity(manager, {
      ...this.entry(record.id, tenant, integration, now),
      event: 'created',
      data: { externalId: alert.externalId, ...(alert.severity ? { severity: alert.severity } : {}) },
    });
    await this.integrations.insertAlertLink(manager, tenant, alert.externalId, {
      caseId: record.id,
      caseNumber: number,
      severity: alert.severity ?? null,
      lastReceivedAt: new Date(request.receivedAt),
    });
    await this.outbox.record(manager, {
      type: 'case-management.case.created',
      actor: {},
      target: { type: 'case', id: number },
      outcome: 'success',
      reasons: ['integration'],
      tenants: [tenant],
    });
    return { ...record, number, closedAt: null };
  }

  /**
   * A later alert of the same external id. Alerts may arrive out of order (one queued while the
   * service was away, a newer one answered after it came back): description and severity change
   * only for an alert received after the last one applied; a comment is always kept. A closed case
   * stays as it is (CASE-5: closed is final).
   */
  private async update(
    manager: EntityManager,
    integration: IntegrationKey,
    c: CaseRecord,
    request: AlertRequest,
    link: AlertLink,
    description: string,
    comment: string | undefined,
    now: Date,
  ): Promise<string> {
    if (c.status === 'closed') {
      return 'case_closed';
    }
    const { alert } = request;
    const receivedAt = new Date(request.receivedAt);
    const newer = receivedAt.getTime() >= new Date(link.lastReceivedAt).getTime();
    const changes: Record<string, unknown> = {};
    if (newer && description !== c.description) {
      await this.integrations.setDescription(manager, c.id, description);
      await this.cases.addSearchText(manager, c.id, foldText(plainText(description)), bigrams);
      changes.description = true;
    }
    const severity = newer && alert.severity !== undefined ? alert.severity : link.severity;
    if (severity !== link.severity) {
      changes.severity = severity;
    }
    if (comment !== undefined) {
      await this.addComment(manager, c, integration, comment, now);
    }
    if (Object.keys(changes).length > 0) {
      await this.cases.insertActivity(manager, {
        ...this.entry(c.id, c.tenantNumber, integration, now),
        event: 'alert_updated',
        data: changes,
      });
    }
    await this.integrations.updateAlertLink(
      manager,
      c.tenantNumber,
      alert.externalId,
      severity,
      newer ? receivedAt : new Date(link.lastReceivedAt),
    );
    if (comment === undefined && Object.keys(changes).length === 0) {
      return 'unchanged';
    }
    await this.cases.touch(manager, c.id, now);
    return 'updated';
  }

  /** An integration's comment, searchable like every comment (CASE-8). */
  private async addComment(
    manager: EntityManager,
    c: CaseRecord,
    integration: IntegrationKey,
    html: string,
    at: Date,
  ): Promise<void> {
    await this.cases.insertActivity(manager, {
      ...this.entry(c.id, c.tenantNumber, integration, at),
      kind: 'comment',
      body: html,
    });
    await this.cases.addSearchText(manager, c.id, foldText(plainText(html)), bigrams);
  }

  private entry(caseId: string, tenant: string, integration: IntegrationKey, at: Date): CaseActivity {
    return {
      id: this.ids.uuid(),
      caseId,
      tenantNumber: tenant,
      kind: 'system',
      // Integrations are not users: the entry names the integration (its id and name).
      authorId: integration.id,
      authorName: integration.name,
      authorRole: 'integration',
      body: null,
      event: null,
      data: null,
      at,
    };
  }

  private async caseById(manager: EntityManager, id: string): Promise<CaseRecord> {
    const rows: { number: string }[] = await manager.query(
      `SELECT number FROM case_management.case_record WHERE id = $1`,
      [id],
    );
    return (await this.cases.lock(manager, { kind: 'all' }, rows[0].number))!;
  }

  /** Sanitised HTML that still says something; an input of only markup is malformed. */
  private richText(html: string, field: string): string {
    const clean = sanitizeRichText(html);
    if (clean.replace(/<[^>]*>/g, '').trim() === '') {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { [field]: [`${field} must contain text`] },
      });
    }
    return clean;
  }
}
