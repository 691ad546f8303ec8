import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ErrorCode,
  PasskeyIdParam,
  PasskeyRegistrationOptions,
  PasskeyView,
  RegisterPasskeyDto,
  RenamePasskeyDto,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';

/** Errors of every route here: the access token's. */
const ME_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded];

/** The caller's passkeys (AUTH-10); changes need a fresh second step (AUTH-12). */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MePasskeysController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('passkeys/options')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Start registering a passkey: options for navigator.credentials.create()',
    description: 'The challenge is single use and good for 5 minutes. Needs a fresh second step.',
  })
  @ApiResponse({ status: 200, description: '`{options, expiresAt}`' })
  @ApiErrors(...ME_ERRORS, ErrorCode.StepUpRequired)
  options(): Promise<PasskeyRegistrationOptions> {
    return this.rpc.send('auth.me.passkey.options', {});
  }

  @Post('passkeys')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Register a passkey with the browser’s credential and a name',
    description: 'Needs a fresh second step. `409 conflict` when this credential is registered already.',
  })
  @ApiResponse({ status: 201, description: '`{id, name, createdAt, lastUsedAt}`' })
  @ApiErrors(...ME_ERRORS, ErrorCode.StepUpRequired, ErrorCode.PasskeyInvalid, ErrorCode.Conflict)
  register(@Body() dto: RegisterPasskeyDto): Promise<PasskeyView> {
    return this.rpc.send('auth.me.passkey.register', { name: dto.name, credential: dto.credential });
  }

  @Get('passkeys')
  @ApiOperation({ summary: 'The caller’s passkeys, oldest first' })
  @ApiResponse({ status: 200, description: '`[{id, name, createdAt, lastUsedAt}]`' })
  @ApiErrors(...ME_ERRORS)
  list(): Promise<PasskeyView[]> {
    return this.rpc.send('auth.me.passkey.list', {});
  }

  @Patch('passkeys/:id')
  @ApiParam({ name: 'id', description: 'Passkey id', format: 'uuid' })
  @ApiOperation({ summary: 'Rename one of the caller’s passkeys', description: 'Needs a fresh second step.' })
  @ApiResponse({ status: 200, description: '`{id, name, createdAt, lastUsedAt}`' })
  @ApiErrors(...ME_ERRORS, ErrorCode.StepUpRequired, ErrorCode.NotFound)
  rename(@Param() { id }: PasskeyIdParam, @Body() dto: RenamePasskeyDto): Promise<PasskeyView> {
    return this.rpc.send('auth.me.passkey.rename', { id, name: dto.name });
  }

  @Delete('passkeys/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', description: 'Passkey id', format: 'uuid' })
  @ApiOperation({ summary: 'Delete one of the caller’s passkeys', description: 'Needs a fresh second step.' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(...ME_ERRORS, ErrorCode.StepUpRequired, ErrorCode.NotFound)
  async remove(@Param() { id }: PasskeyIdParam): Promise<void> {
    await this.rpc.send('auth.me.passkey.delete', { id });
  }
}
