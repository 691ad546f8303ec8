import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, IdParam, ServiceSettingDetailView, ServiceSettingView } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RequireTenant } from '../security/require-tenant.decorator';
import { Roles } from '../security/roles.decorator';

const CUSTOMER_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.TenantSelectionRequired,
];

/** The active tenant's contracted services, read-only (CASE-1). */
@ApiTags('cases')
@ApiBearerAuth()
@RequireTenant()
@Roles('admin', 'user')
@Controller('service-settings')
export class ServiceSettingsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({
    summary: 'Service settings: one row per contracted service (CASE-1)',
    description: 'Changes go through sales or a work request.',
  })
  @ApiResponse({
    status: 200,
    description:
      "`[{id, contractor, customerNumber, service, serviceCode, startDate}]` (service name in the caller's language)",
  })
  @ApiErrors(...CUSTOMER_ERRORS)
  list(): Promise<ServiceSettingView[]> {
    return this.rpc.send('case-management.service_setting.list', {});
  }

  @Get(':id')
  @ApiParam({ name: 'id', description: 'The contract id from the list' })
  @ApiOperation({ summary: 'One contracted service with its service-specific settings (CASE-1)' })
  @ApiResponse({
    status: 200,
    description:
      "The row + `{licenceType, idCount, settings:[{key, label, value}]}` (labels in the caller's language)",
  })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound)
  get(@Param() { id }: IdParam): Promise<ServiceSettingDetailView> {
    return this.rpc.send('case-management.service_setting.get', { id });
  }
}
