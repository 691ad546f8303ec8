import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AlertDto,
  AlertQueuedView,
  AlertRequest,
  CaseSummaryView,
  DomainError,
  ErrorCode,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Public } from '../security/public.decorator';
import { AlertQueuePublisher } from './alert-queue.publisher';
import { ApiKeyGuard, IntegrationRequest, RequireScope } from './api-key.guard';

/** Machines with an API key (SPEC §1 "integration"): alert cases (CASE-9). */
@ApiTags('integrations')
@ApiSecurity('api-key')
@Public()
@RateLimit('integration')
@UseGuards(ApiKeyGuard)
@Controller('integrations')
export class IntegrationAlertsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly queue: AlertQueuePublisher,
  ) {}

  @Post('alerts')
  @HttpCode(HttpStatus.CREATED)
  @RequireScope('alerts:write')
  @ApiOperation({
    summary: 'An alert from a monitoring system (CASE-9)',
    description:
      'Header `X-Api-Key` with scope `alerts:write`. Opens a case of category `alert` (`201`), or answers the case an earlier alert with the same `externalId` opened (`200`), updated with a newer `description`/`severity` and `comment`. `tenant` may be left out when the key is limited to one tenant; a tenant the key is not for is `403`. While the case service cannot answer, the alert is queued durably and applied when it returns: `202 {status:"queued", alertId, externalId}`.',
  })
  @ApiResponse({ status: 201, description: 'The new alert case' })
  @ApiResponse({ status: 200, description: 'The case of this externalId' })
  @ApiResponse({ status: 202, description: '`{status:"queued", alertId, externalId}`' })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.Forbidden, ErrorCode.ServiceNotContracted)
  async alert(
    @Body() dto: AlertDto,
    @Req() req: IntegrationRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseSummaryView | AlertQueuedView> {
    const integration = req.integration;
    const tenant = dto.tenant ?? (integration.tenants.length === 1 ? integration.tenants[0] : undefined);
    if (tenant === undefined) {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { tenant: ['tenant is required unless the key is limited to one tenant'] },
      });
    }
    if (integration.tenants.length > 0 && !integration.tenants.includes(tenant)) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    const request: AlertRequest = {
      alertId: randomUUID(),
      keyId: integration.id,
      receivedAt: new Date().toISOString(),
      alert: { ...dto, tenant },
    };
    try {
      const result = await this.rpc.send('case-management.integration.alert', request);
      res.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
      return result.case;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.ServiceUnavailable) {
        throw error;
      }
      // The case service is away (or did not answer in time: the queued copy is then applied once,
      // by its alert id, whichever arrives first).
      await this.queue.publish(request, req.requestId);
      res.status(HttpStatus.ACCEPTED);
      return { status: 'queued', alertId: request.alertId, externalId: dto.externalId };
    }
  }
}
