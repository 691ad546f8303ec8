import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditSigningKeyView, ErrorCode } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Public } from '../security/public.decorator';

/** What consumers of the audit stream need to check it (AUDIT-3, AUDIT-4). */
@ApiTags('audit')
@Public()
@Controller('audit')
export class AuditSigningKeyController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('signing-key')
  @ApiOperation({
    summary: "The public key of the audit trail's signed checkpoints",
    description:
      'The audit service signs `{count, headHash, headSeq, time}` of its hash chain with Ed25519 every N ' +
      'records or T seconds and publishes it on `audit-checkpoint.<headSeq>` (stream `AUDIT_CHECKPOINTS`). ' +
      'The signature (base64url) covers the canonical JSON of those four fields (keys sorted, no spaces).',
  })
  @ApiResponse({
    status: 200,
    description: '`{algorithm:"Ed25519", keyId, publicKey (raw, base64url), jwk}`',
  })
  @ApiErrors(ErrorCode.ServiceUnavailable)
  signingKey(): Promise<AuditSigningKeyView> {
    return this.rpc.send('audit-trail.signing_key', {});
  }
}
