import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, HomeView, PortalLinkDto, PortalLinkView, Principal } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { AnnouncementsService, readerView } from '../announcements/announcements.service';
import { customerOf, operatorOf } from '../caller/case-caller';
import { CasesRepository } from '../cases/cases.repository';
import { ContractsRepository } from '../contracts/contracts.repository';
import { PortalLink, PortalLinksRepository } from './portal-links.repository';

/**
 * The portal's home page in one call (CASE-11): the announcements for the user now, the counts of
 * the case list's views, and the tenant's links to its services' other portals, which operators
 * configure per tenant.
 */
@Injectable()
export class HomeService {
  constructor(
    private readonly announcements: AnnouncementsService,
    private readonly cases: CasesRepository,
    private readonly links: PortalLinksRepository,
    private readonly contracts: ContractsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async home(principal: Principal | undefined): Promise<HomeView> {
    const customer = customerOf(principal);
    const [announcements, caseCounts, links] = await Promise.all([
      this.announcements.forReader(customer.scope, customer.userId),
      this.cases.viewCounts(customer.scope),
      this.links.inScope(customer.scope),
    ]);
    return {
      announcements: announcements.map(readerView),
      caseCounts,
      links: links.map((l) => ({ name: l.name, url: l.url })),
    };
  }

  async linksOf(principal: Principal | undefined, tenant: string): Promise<PortalLinkView[]> {
    return (await this.links.ofTenant(operatorOf(principal).scope, tenant)).map(linkView);
  }

  async setLinks(
    principal: Principal | undefined,
    tenant: string,
    input: PortalLinkDto[],
  ): Promise<PortalLinkView[]> {
    const operator = operatorOf(principal);
    const known = new Set((await this.contracts.listServices()).map((s) => s.code));
    const links: PortalLink[] = input.map((l, i) => {
      if (l.service !== undefined && !known.has(l.service)) {
        throw new DomainError(ErrorCode.ValidationFailed, {
          fields: { [`links.${i}.service`]: ['service does not exist'] },
        });
      }
      const name = l.name.trim();
      if (name === '') {
        throw new DomainError(ErrorCode.ValidationFailed, {
          fields: { [`links.${i}.name`]: ['name must contain text'] },
        });
      }
      return { name, url: l.url, serviceCode: l.service ?? null };
    });
    await this.links.transaction(async (manager) => {
      await this.links.replace(manager, operator.scope, tenant, links);
      await this.outbox.record(manager, {
        type: 'case-management.portal_links.updated',
        actor: { userId: operator.userId },
        target: { type: 'tenant', id: tenant },
        outcome: 'success',
        tenants: [tenant],
      });
    });
    return links.map(linkView);
  }
}

function linkView(l: PortalLink): PortalLinkView {
  return { name: l.name, url: l.url, service: l.serviceCode };
}
