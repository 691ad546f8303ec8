import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AnnouncementDto,
  ErrorCode,
  IdParam,
  OpsAnnouncementView,
  PortalLinksDto,
  PortalLinkView,
  TenantNumberParam,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Roles } from '../security/roles.decorator';

const OPERATOR_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden];

const OPS_ANNOUNCEMENT_FIELDS =
  '`{id, title, body, article|null, banner, from, to, audience:{all, tenants, services}, createdAt, updatedAt, mailedAt|null}`';
const LINK_FIELDS = '`[{name, url, service|null}]`';

/** Operators publish announcements and configure each tenant's portal links (CASE-11). */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops')
export class OpsAnnouncementsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('announcements')
  @ApiOperation({ summary: 'Every announcement, the latest window first' })
  @ApiResponse({ status: 200, description: `[${OPS_ANNOUNCEMENT_FIELDS}]` })
  @ApiErrors(...OPERATOR_ERRORS)
  list(): Promise<OpsAnnouncementView[]> {
    return this.rpc.send('case-management.ops.announcement.list', {});
  }

  @Post('announcements')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Publish an announcement (CASE-11)',
    description:
      'Shown from `from` (inclusive) to `to` (exclusive) to its audience: everyone, the tenants named, or the tenants contracting a service named. `body` is sanitised HTML; `article` must exist. With `email: true` it is also mailed once to every user of the audience, in their language, through the bulk queue after it is saved (the answer does not wait; `mailedAt` marks it).',
  })
  @ApiResponse({ status: 201, description: OPS_ANNOUNCEMENT_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS)
  create(@Body() dto: AnnouncementDto): Promise<OpsAnnouncementView> {
    return this.rpc.send('case-management.ops.announcement.create', dto);
  }

  @Put('announcements/:id')
  @ApiParam({ name: 'id', description: 'Announcement id' })
  @ApiOperation({ summary: 'Change an announcement; dismissals stay (CASE-11)' })
  @ApiResponse({ status: 200, description: OPS_ANNOUNCEMENT_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  update(@Param() { id }: IdParam, @Body() dto: AnnouncementDto): Promise<OpsAnnouncementView> {
    return this.rpc.send('case-management.ops.announcement.update', { ...dto, id });
  }

  @Delete('announcements/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', description: 'Announcement id' })
  @ApiOperation({ summary: 'Withdraw an announcement (CASE-11)' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  async delete(@Param() { id }: IdParam): Promise<void> {
    await this.rpc.send('case-management.ops.announcement.delete', { id });
  }

  @Get('tenants/:number/portal-links')
  @ApiParam({ name: 'number', description: 'Customer number of the tenant, e.g. N202400003' })
  @ApiOperation({ summary: "A tenant's links to its services' other portals (CASE-11)" })
  @ApiResponse({ status: 200, description: LINK_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS)
  links(@Param() { number }: TenantNumberParam): Promise<PortalLinkView[]> {
    return this.rpc.send('case-management.ops.portal_links.get', { tenant: number });
  }

  @Put('tenants/:number/portal-links')
  @ApiParam({ name: 'number', description: 'Customer number of the tenant, e.g. N202400003' })
  @ApiOperation({
    summary: "Replace a tenant's portal links (CASE-11)",
    description:
      'In the order the home page shows them; a link with `service` is shown only while the tenant contracts that service.',
  })
  @ApiResponse({ status: 200, description: LINK_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS)
  setLinks(@Param() { number }: TenantNumberParam, @Body() dto: PortalLinksDto): Promise<PortalLinkView[]> {
    return this.rpc.send('case-management.ops.portal_links.set', { ...dto, tenant: number });
  }
}
