import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseFilterView, DomainError, ErrorCode, Principal, SaveCaseFilterDto } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { RpcClient } from '@app/messaging';
import { CustomerCaller, customerOf } from '../caller/case-caller';
import { IdSource } from '../common/id-source';
import { SqlParams } from '../common/sql-params';
import { isUniqueViolation } from '../common/unique-violation.util';
import { CUSTOMER_FILTER_FIELDS, parseFilter } from '../cases/case-filter';
import { orderByOf } from '../cases/case-list-query';
import { keywordSql } from '../cases/keyword-query';
import { SavedFilter, SavedFiltersRepository } from './saved-filters.repository';

function view(f: SavedFilter): CaseFilterView {
  return {
    id: f.id,
    name: f.name,
    visibility: f.visibility,
    owner: { id: f.ownerId, name: f.ownerName },
    view: f.view,
    q: f.q,
    filter: f.filter,
    sort: f.sort,
  };
}

/**
 * Saved filters (CASE-8): private ones belong to their creator alone; tenant-visible ones are seen by
 * the whole tenant and saved over or changed only by their creator or a tenant admin.
 */
@Injectable()
export class SavedFiltersService {
  constructor(
    private readonly repository: SavedFiltersRepository,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  async list(principal: Principal | undefined): Promise<CaseFilterView[]> {
    const customer = customerOf(principal);
    return (await this.repository.visibleTo(customer.scope, customer.userId)).map(view);
  }

  async save(
    principal: Principal | undefined,
    dto: SaveCaseFilterDto,
  ): Promise<{ filter: CaseFilterView; created: boolean }> {
    const customer = customerOf(principal);
    const filter = await this.toFilter(customer, this.ids.uuid(), dto);
    const saved = await this.repository.upsert(customer.scope, filter, this.clock.now(), customer.admin);
    if (!saved) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    await this.audit(customer, 'case-management.case_filter.saved', saved.filter.id);
    return { filter: view(saved.filter), created: saved.created };
  }

  async update(
    principal: Principal | undefined,
    id: string,
    dto: SaveCaseFilterDto,
  ): Promise<CaseFilterView> {
    const customer = customerOf(principal);
    const changed = await this.toFilter(customer, id, dto);
    try {
      return await this.repository.transaction(async (manager) => {
        const current = await this.writable(manager, customer, id);
        const next = { ...changed, ownerId: current.ownerId, ownerName: current.ownerName };
        await this.repository.update(manager, customer.scope, next, this.clock.now());
        await this.outbox.record(manager, this.event(customer, 'case-management.case_filter.saved', id));
        return view(next);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(ErrorCode.Conflict, { name: dto.name });
      }
      throw error;
    }
  }

  async delete(principal: Principal | undefined, id: string): Promise<void> {
    const customer = customerOf(principal);
    await this.repository.transaction(async (manager) => {
      await this.writable(manager, customer, id);
      await this.repository.delete(manager, customer.scope, id);
      await this.outbox.record(manager, this.event(customer, 'case-management.case_filter.deleted', id));
    });
  }

  /** Another user's private filter: 404; a shared one by neither its creator nor an admin: 403. */
  private async writable(
    manager: Parameters<SavedFiltersRepository['delete']>[0],
    customer: CustomerCaller,
    id: string,
  ): Promise<SavedFilter> {
    const current = await this.repository.lockVisible(manager, customer.scope, customer.userId, id);
    if (!current) {
      throw new DomainError(ErrorCode.NotFound);
    }
    if (current.ownerId !== customer.userId && !customer.admin) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    return current;
  }

  /** A filter as it will be run: its parts are checked now, so a saved filter never fails later. */
  private async toFilter(customer: CustomerCaller, id: string, dto: SaveCaseFilterDto): Promise<SavedFilter> {
    if (dto.filter !== undefined) {
      parseFilter(dto.filter, CUSTOMER_FILTER_FIELDS);
    }
    if (dto.sort !== undefined) {
      orderByOf(dto.sort);
    }
    if (dto.q !== undefined) {
      keywordSql(dto.q, new SqlParams());
    }
    const me = (
      await this.rpc.send('auth.directory.tenant_users', {
        tenant: customer.scope.tenant,
        ids: [customer.userId],
      })
    )[0];
    if (!me) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    return {
      id,
      ownerId: customer.userId,
      ownerName: me.name,
      name: dto.name.trim(),
      visibility: dto.visibility,
      view: dto.view ?? 'all',
      q: dto.q ?? null,
      filter: dto.filter ?? null,
      sort: dto.sort ?? null,
    };
  }

  private event(
    customer: CustomerCaller,
    type: 'case-management.case_filter.saved' | 'case-management.case_filter.deleted',
    id: string,
  ) {
    return {
      type,
      actor: { userId: customer.userId, tenant: customer.scope.tenant },
      target: { type: 'case_filter', id },
      outcome: 'success' as const,
      tenants: [customer.scope.tenant],
    };
  }

  private async audit(
    customer: CustomerCaller,
    type: 'case-management.case_filter.saved' | 'case-management.case_filter.deleted',
    id: string,
  ): Promise<void> {
    await this.repository.transaction((manager) =>
      this.outbox.record(manager, this.event(customer, type, id)),
    );
  }
}
