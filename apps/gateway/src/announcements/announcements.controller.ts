import { Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AnnouncementView, ErrorCode, HomeView, IdParam } from '@app/contracts';
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

const ANNOUNCEMENT_FIELDS = '`{id, title, body, article?, banner, from, to, dismissed}`';

/** Announcements for the caller and the portal's home page (CASE-11). */
@ApiTags('announcements')
@ApiBearerAuth()
@RequireTenant()
@Roles('admin', 'user')
@Controller()
export class AnnouncementsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('announcements')
  @ApiOperation({
    summary: 'The announcements for the caller now (CASE-11)',
    description:
      'Those whose window holds the current time and whose audience is everyone, the tenant, or a service it contracts; latest first. `article` only when the caller may read it.',
  })
  @ApiResponse({ status: 200, description: `[${ANNOUNCEMENT_FIELDS}]` })
  @ApiErrors(...CUSTOMER_ERRORS)
  list(): Promise<AnnouncementView[]> {
    return this.rpc.send('case-management.announcement.list', {});
  }

  @Post('announcements/:id/dismiss')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', description: 'Announcement id' })
  @ApiOperation({
    summary: "Close an announcement's banner for good (CASE-11)",
    description:
      'For the caller only; the announcement stays in the list with `dismissed: true`. Repeating it is a no-op.',
  })
  @ApiResponse({ status: 204, description: 'Dismissed' })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound)
  async dismiss(@Param() { id }: IdParam): Promise<void> {
    await this.rpc.send('case-management.announcement.dismiss', { id });
  }

  @Get('home')
  @ApiOperation({
    summary: "What the portal's home page shows (CASE-11)",
    description:
      "The announcements as `GET /announcements` lists them, the number of cases in each case list view, and the tenant's links to its services' other portals.",
  })
  @ApiResponse({
    status: 200,
    description: `\`{announcements:[${ANNOUNCEMENT_FIELDS}], caseCounts:{all, action_required, alerts}, links:[{name, url}]}\``,
  })
  @ApiErrors(...CUSTOMER_ERRORS)
  home(): Promise<HomeView> {
    return this.rpc.send('case-management.home', {});
  }
}
