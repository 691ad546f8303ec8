import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ReadinessReport, ReadinessService } from '../health/readiness.service';
import { Roles } from '../security/roles.decorator';

/** The platform-wide health view for operators: the gateway's dependencies and every service's. */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops')
export class OpsStatusController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('status')
  @ApiOperation({
    summary: 'Platform status',
    description:
      "The gateway's Redis and NATS, and each service's own answer over NATS (its database, Redis and " +
      'stream). Always 200 with the report; `status` is `up` only when every check is.',
  })
  @ApiResponse({ status: 200, description: '`{status, checks, services}`' })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden)
  status(): Promise<ReadinessReport> {
    return this.readiness.platform();
  }
}
