import { Controller } from '@nestjs/common';
import { HomeView, PortalLinksRequest, PortalLinkView, RpcEnvelope, TenantRequest } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { HomeService } from './home.service';

/** The home page and the operators' portal links over NATS (CASE-11). */
@Controller()
export class HomeController {
  constructor(private readonly home: HomeService) {}

  @RpcHandler('case-management.home')
  async get({ ctx }: RpcEnvelope<Record<string, never>>): Promise<HomeView> {
    return this.home.home(ctx.principal);
  }

  @RpcHandler('case-management.ops.portal_links.get')
  async links({ ctx, data }: RpcEnvelope<TenantRequest>): Promise<PortalLinkView[]> {
    return this.home.linksOf(ctx.principal, data.tenant);
  }

  @RpcHandler('case-management.ops.portal_links.set')
  async setLinks({ ctx, data }: RpcEnvelope<PortalLinksRequest>): Promise<PortalLinkView[]> {
    return this.home.setLinks(ctx.principal, data.tenant, data.links);
  }
}
