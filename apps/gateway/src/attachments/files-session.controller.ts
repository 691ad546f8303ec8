import { Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Clock } from '@app/config';
import { ErrorCode } from '@app/contracts';
import { ApiErrors } from '../errors/api-errors.decorator';
import { GatewayRequest } from '../request-context/gateway-request';
import { setBearerCookie } from '../security/bearer-cookie';
import { FILES_COOKIE, filesCookiePaths } from './files-cookie';

/**
 * A browser saves a large file by following a plain link, which streams it to disk; a link cannot
 * send the `Authorization` header, so the client first opens a files session, which puts the access
 * token into a cookie the downloads (and nothing else) read on GET and HEAD.
 */
@ApiTags('files')
@ApiBearerAuth()
@Controller('files')
export class FilesSessionController {
  constructor(private readonly clock: Clock) {}

  @Post('session')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Let plain links download files',
    description:
      'Sets the httpOnly, `SameSite=Strict` cookie `mamori_files` (`Secure` over HTTPS) holding the access token, sent only to ' +
      '`/api/v1/cases`, `/api/v1/work-requests` and `/api/v1/knowledge` (operators: the same below `/api/v1/ops`) and to the ' +
      'exports `/api/v1/me/login-history` (tenant admins also `/api/v1/admin/login-history` and `/api/v1/admin/audit-events`, ' +
      'operators `/api/v1/ops/audit-events`), lasting as long as the token. The file downloads of those areas, and those ' +
      'routes when `format` asks for a file (never their JSON pages), accept it on GET and HEAD instead of the ' +
      '`Authorization` header; no other route and no other method reads it. Open it again after a refresh or a tenant switch.',
  })
  @ApiResponse({ status: 204, description: 'The cookie is set' })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.SessionEnded)
  open(@Req() req: GatewayRequest, @Res({ passthrough: true }) res: Response): void {
    // The guard has verified the token, so the principal is there.
    setBearerCookie(req, res, this.clock.now(), {
      name: FILES_COOKIE,
      paths: filesCookiePaths(req.user?.role ?? 'user'),
    });
  }
}
