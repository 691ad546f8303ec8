import { Controller } from '@nestjs/common';
import { AuditEventsPage, AuditRecordView, RpcEnvelope } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { AuditEventsQuery, AuditQueryService } from './audit-query.service';

@Controller()
export class AuditEventsController {
  constructor(private readonly queries: AuditQueryService) {}

  @RpcHandler('audit-trail.events.query')
  async query({ ctx, data }: RpcEnvelope<AuditEventsQuery>): Promise<AuditEventsPage<AuditRecordView>> {
    return this.queries.query(data, ctx.principal);
  }
}
