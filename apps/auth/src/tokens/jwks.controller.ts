import { Controller } from '@nestjs/common';
import { JsonWebKeySet, RpcEnvelope } from '@app/contracts';
import { JwksSource, RpcHandler } from '@app/messaging';

/**
 * `auth.keys.jwks`: the public keys of ACCESS_TOKEN_SIGNING_KEYS, for the gateway
 * (`GET /.well-known/jwks.json`) and every service that verifies access tokens.
 */
@Controller()
export class JwksController {
  constructor(private readonly keys: JwksSource) {}

  @RpcHandler('auth.keys.jwks')
  async jwks(_envelope: RpcEnvelope<Record<string, never>>): Promise<JsonWebKeySet> {
    return this.keys.fetch();
  }
}
