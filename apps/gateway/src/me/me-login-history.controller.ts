import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  ErrorCode,
  LOGIN_HISTORY_EXPORT_MAX_ROWS,
  LoginHistoryPage,
  LoginHistoryQueryDto,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { attachment } from '../http/attachment.util';
import { FILES_COOKIE, LOGIN_HISTORY_FILE_FORMATS } from '../attachments/files-cookie';
import { ApiErrors } from '../errors/api-errors.decorator';
import { BearerFromCookie } from '../security/public.decorator';

const FILE_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/pdf',
];

/** The caller's login history and its exports (AUTH-22). Rules live in the auth service. */
@ApiTags('me')
@ApiBearerAuth()
@ApiExtraModels(LoginHistoryPage)
@Controller('me')
export class MeLoginHistoryController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('login-history')
  // A file is saved by following a plain link, which carries the files session's cookie; a page is not.
  @BearerFromCookie(FILES_COOKIE, { formats: LOGIN_HISTORY_FILE_FORMATS })
  @ApiOperation({
    summary: 'Your login history',
    description:
      'Every login attempt, second step, session start and logout of your account with time, IP address, ' +
      'user agent, method and result, newest first. `format=csv|xlsx|pdf` answers a file (attachment) of ' +
      `at most ${LOGIN_HISTORY_EXPORT_MAX_ROWS} rows; \`page=2\` gives the next older rows. Files show times ` +
      'in your time zone with their UTC offset and headers in your language (the PDF is in English).',
  })
  @ApiProduces('application/json', ...FILE_TYPES)
  @ApiOkResponse({
    description: 'format=json: one page. Other formats: the file.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(LoginHistoryPage) } },
      ...Object.fromEntries(FILE_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
    },
  })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.PayloadTooLarge)
  async history(@Query() query: LoginHistoryQueryDto): Promise<LoginHistoryPage | StreamableFile> {
    if ((query.format ?? 'json') === 'json') {
      return this.rpc.send('auth.login_history.mine', query);
    }
    return attachment(await this.rpc.send('auth.login_history.mine.export', query));
  }
}
