import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  apiKeyHash,
  API_KEY_PATTERN,
  CreatedIntegrationView,
  CreateIntegrationDto,
  DomainError,
  ErrorCode,
  IdParam,
  IntegrationView,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Roles } from '../security/roles.decorator';
import { IntegrationKeyStore } from './integration-key.store';

const OPERATOR_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden];

const INTEGRATION_FIELDS = '`{id, name, scopes, tenants, prefix, createdAt, revokedAt}`';

/** Operators' API keys for integrations (CASE-9, API.md "Operators"). */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops/integrations')
export class OpsIntegrationsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly keys: IntegrationKeyStore,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create an API key for an integration (CASE-9)',
    description:
      'Scopes `alerts:write`, `mail-events:write`, `audit:read`; `tenants` limits the key to those tenants (omitted: every tenant). `apiKey` (`mmk_<prefix>_<secret>`) is shown in this answer only and kept as a hash; send it as `X-Api-Key`.',
  })
  @ApiResponse({ status: 201, description: `${INTEGRATION_FIELDS} and \`apiKey\`` })
  @ApiErrors(...OPERATOR_ERRORS)
  async create(@Body() dto: CreateIntegrationDto): Promise<CreatedIntegrationView> {
    const created = await this.rpc.send('case-management.integration.create', dto);
    const match = API_KEY_PATTERN.exec(created.apiKey);
    if (match) {
      // So the key works at once even if the case service goes away before its first alert.
      await this.keys
        .remember({
          id: created.id,
          name: created.name,
          prefix: match[1],
          keyHash: apiKeyHash(created.apiKey),
          scopes: created.scopes,
          tenants: created.tenants,
          revoked: false,
        })
        .catch(() => undefined);
    }
    return created;
  }

  @Get()
  @ApiOperation({ summary: 'Integrations and their keys, without secrets (CASE-9)' })
  @ApiResponse({ status: 200, description: `[${INTEGRATION_FIELDS}]` })
  @ApiErrors(...OPERATOR_ERRORS)
  list(): Promise<IntegrationView[]> {
    return this.rpc.send('case-management.integration.list', {});
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', description: "The integration's id" })
  @ApiOperation({
    summary: 'Revoke an integration key for good (CASE-9)',
    description: 'Refused at once by every gateway; revoking a revoked key again is `204` too.',
  })
  @ApiResponse({ status: 204, description: 'Revoked' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  async revoke(@Param() { id }: IdParam): Promise<void> {
    const revoked = await this.rpc.send('case-management.integration.revoke', { id });
    try {
      // The gateways' copy says revoked from now on (the answer is 503 otherwise, and a retry is safe).
      await this.keys.remember({
        id: revoked.id,
        name: revoked.name,
        prefix: revoked.prefix,
        keyHash: '',
        scopes: revoked.scopes,
        tenants: revoked.tenants,
        revoked: true,
      });
    } catch {
      throw new DomainError(ErrorCode.ServiceUnavailable);
    }
  }
}
