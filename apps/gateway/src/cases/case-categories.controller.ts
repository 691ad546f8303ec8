import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CaseCategoryOptionView, ErrorCode } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RequireTenant } from '../security/require-tenant.decorator';
import { Roles } from '../security/roles.decorator';

/** The categories a customer may open an inquiry in (CASE-3), as operators keep them. */
@ApiTags('cases')
@ApiBearerAuth()
@RequireTenant()
@Roles('admin', 'user')
@Controller('case-categories')
export class CaseCategoriesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({
    summary: 'Categories a customer may open an inquiry in (CASE-3)',
    description:
      'The categories operators mark `customerSelectable`, ordered by code, each with its label in both languages; ' +
      "`POST /cases` with any other category is `422 category_not_selectable`. The provider's own categories are left out.",
  })
  @ApiResponse({ status: 200, description: '`[{code, label:{ja, en}}]`' })
  @ApiErrors(
    ErrorCode.Unauthorized,
    ErrorCode.SessionEnded,
    ErrorCode.Forbidden,
    ErrorCode.TenantSelectionRequired,
  )
  list(): Promise<CaseCategoryOptionView[]> {
    return this.rpc.send('case-management.category.selectable', {});
  }
}
