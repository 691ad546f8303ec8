import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  AdminLoginHistoryQueryDto,
  ErrorCode,
  LOGIN_HISTORY_EXPORT_MAX_ROWS,
  LoginHistoryPage,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { attachment } from '../http/attachment.util';
import { FILES_COOKIE, LOGIN_HISTORY_FILE_FORMATS } from '../attachments/files-cookie';
import { ApiErrors } from '../errors/api-errors.decorator';
import { BearerFromCookie } from '../security/public.decorator';
import { TenantAdmin } from '../security/tenant-admin.decorator';

const FILE_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/pdf',
];

/** The active tenant's login history and its exports (AUTH-22). Rules live in the auth service. */
@ApiTags('tenant admin')
@TenantAdmin()
@ApiExtraModels(LoginHistoryPage)
@Controller('admin')
export class AdminLoginHistoryController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('login-history')
  // A file is saved by following a plain link, which carries the files session's cookie; a page is not.
  @BearerFromCookie(FILES_COOKIE, { formats: LOGIN_HISTORY_FILE_FORMATS })
  @ApiOperation({
    summary: 'Login history of the active tenant',
    description:
      "Login attempts, second steps, session starts and logouts of the tenant's users, newest first; " +
      '`userId` narrows it to one user. `format=csv|xlsx|pdf` answers a file (attachment) of at most ' +
      `${LOGIN_HISTORY_EXPORT_MAX_ROWS} rows; \`page=2\` gives the next older rows. Files show times in ` +
      'your time zone with their UTC offset and headers in your language (the PDF is in English).',
  })
  @ApiProduces('application/json', ...FILE_TYPES)
  @ApiOkResponse({
    description: 'format=json: one page. Other formats: the file.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(LoginHistoryPage) } },
      ...Object.fromEntries(FILE_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
    },
  })
  @ApiErrors(
    ErrorCode.Unauthorized,
    ErrorCode.SessionEnded,
    ErrorCode.Forbidden,
    ErrorCode.TenantSelectionRequired,
    ErrorCode.PayloadTooLarge,
  )
  async history(@Query() query: AdminLoginHistoryQueryDto): Promise<LoginHistoryPage | StreamableFile> {
    // The tenant is the token's active tenant, which the auth service takes from the verified principal.
    if ((query.format ?? 'json') === 'json') {
      return this.rpc.send('auth.login_history.tenant', query);
    }
    return attachment(await this.rpc.send('auth.login_history.tenant.export', query));
  }
}
