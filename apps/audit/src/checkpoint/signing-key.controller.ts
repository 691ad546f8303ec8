import { Controller } from '@nestjs/common';
import { AuditSigningKeyView, RpcEnvelope, RpcRequest } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { CheckpointPublisher } from './checkpoint.publisher';

/** The public key of the checkpoints, for consumers who verify them (served by the gateway). */
@Controller()
export class SigningKeyController {
  constructor(private readonly checkpoints: CheckpointPublisher) {}

  @RpcHandler('audit-trail.signing_key')
  signingKey(_envelope: RpcEnvelope<RpcRequest<'audit-trail.signing_key'>>): Promise<AuditSigningKeyView> {
    return Promise.resolve(this.checkpoints.signer.view());
  }
}
