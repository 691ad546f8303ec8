import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { WorkRequestStatus } from '@app/contracts';
import { CaseScope, TenantScope } from '../caller/case-caller';
import { WorkRequest } from './work-request.entity';
import { WorkRequestItem } from './work-request-item.entity';

const S = 'case_management';

/** How a request was decided. */
export type Decision =
  | { status: 'accepted'; at: Date; by: string; caseId: string; caseNumber: string }
  | { status: 'rejected'; at: Date; by: string; reason: string };

/**
 * All I/O of work requests and their catalogue (CASE-7). A customer's read or lock takes a
 * TenantScope (only `customerOf` makes one), so no query of theirs can reach another tenant's
 * request; operators pass AllTenants.
 */
@Injectable()
export class WorkRequestsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertItem(manager: EntityManager, item: WorkRequestItem): Promise<void> {
    await manager.insert(WorkRequestItem, item as QueryDeepPartialEntity<WorkRequestItem>);
  }

  /** Replaces an item's content; false when there is no such item. */
  async updateItem(manager: EntityManager, item: WorkRequestItem): Promise<boolean> {
    const result = await manager.update(
      WorkRequestItem,
      { id: item.id },
      {
        code: item.code,
        nameJa: item.nameJa,
        nameEn: item.nameEn,
        descriptionJa: item.descriptionJa,
        descriptionEn: item.descriptionEn,
        serviceCode: item.serviceCode,
        fields: item.fields as QueryDeepPartialEntity<WorkRequestItem>['fields'],
        active: item.active,
        updatedAt: item.updatedAt,
      },
    );
    return (result.affected ?? 0) > 0;
  }

  findItem(id: string, manager?: EntityManager): Promise<WorkRequestItem | null> {
    return (manager ?? this.dataSource.manager).findOneBy(WorkRequestItem, { id });
  }

  /** Every item, in the catalogue's order (operators). */
  listItems(): Promise<WorkRequestItem[]> {
    return this.dataSource.manager.find(WorkRequestItem, { order: { code: 'ASC' } });
  }

  /** The active items of the services the scope's tenant contracts, in the catalogue's order. */
  async activeItemsFor(scope: TenantScope): Promise<WorkRequestItem[]> {
    return this.dataSource.manager
      .createQueryBuilder(WorkRequestItem, 'i')
      .where('i.active')
      .andWhere(
        `EXISTS (SELECT 1 FROM ${S}.contract k WHERE k.tenant_number = :tenant AND k.service_code = i.service_code)`,
        { tenant: scope.tenant },
      )
      .orderBy('i.code', 'ASC')
      .getMany();
  }

  /** One active item the scope's tenant may request (it contracts the item's service), or null. */
  async activeItemFor(scope: TenantScope, id: string): Promise<WorkRequestItem | null> {
    return this.dataSource.manager
      .createQueryBuilder(WorkRequestItem, 'i')
      .where('i.id = :id AND i.active', { id })
      .andWhere(
        `EXISTS (SELECT 1 FROM ${S}.contract k WHERE k.tenant_number = :tenant AND k.service_code = i.service_code)`,
        { tenant: scope.tenant },
      )
      .getOne();
  }

  async insertRequest(manager: EntityManager, request: WorkRequest): Promise<void> {
    await manager.insert(WorkRequest, request as QueryDeepPartialEntity<WorkRequest>);
  }

  /** Requests in scope, newest first for a tenant, oldest first for operators (a work queue). */
  async listRequests(scope: CaseScope, status?: WorkRequestStatus): Promise<WorkRequest[]> {
    const query = this.dataSource.manager.createQueryBuilder(WorkRequest, 'r');
    if (scope.kind === 'tenant') {
      query.where('r.tenant_number = :tenant', { tenant: scope.tenant });
    }
    if (status) {
      query.andWhere('r.status = :status', { status });
    }
    return query
      .orderBy('r.submittedAt', scope.kind === 'tenant' ? 'DESC' : 'ASC')
      .addOrderBy('r.id', 'ASC')
      .limit(1000)
      .getMany();
  }

  /** One request in scope, or null (another tenant's is null too). */
  findRequest(scope: CaseScope, id: string): Promise<WorkRequest | null> {
    return this.findOn(this.dataSource.manager, scope, id, false);
  }

  /**
   * As `findRequest`, and holds the request's row lock until `manager`'s transaction ends: two
   * operators deciding at once queue one behind the other, and the second sees the first's decision.
   */
  lockRequest(manager: EntityManager, scope: CaseScope, id: string): Promise<WorkRequest | null> {
    return this.findOn(manager, scope, id, true);
  }

  async decide(manager: EntityManager, id: string, decision: Decision): Promise<void> {
    await manager.update(
      WorkRequest,
      { id, status: 'submitted' },
      decision.status === 'accepted'
        ? {
            status: 'accepted',
            decidedAt: decision.at,
            decidedBy: decision.by,
            caseId: decision.caseId,
            caseNumber: decision.caseNumber,
          }
        : { status: 'rejected', decidedAt: decision.at, decidedBy: decision.by, reason: decision.reason },
    );
  }

  private findOn(
    manager: EntityManager,
    scope: CaseScope,
    id: string,
    lock: boolean,
  ): Promise<WorkRequest | null> {
    const query = manager.createQueryBuilder(WorkRequest, 'r').where('r.id = :id', { id });
    if (scope.kind === 'tenant') {
      query.andWhere('r.tenant_number = :tenant', { tenant: scope.tenant });
    }
    if (lock) {
      query.setLock('pessimistic_write');
    }
    return query.getOne();
  }
}
