import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BaseEnv, parseSigningKeys } from '@app/config';
import { JsonWebKeySet } from '@app/contracts';
import { RequestContext } from '@app/observability';
import { RpcClient } from './rpc-client';

/**
 * Where a process learns the public keys that verify access tokens. Auth holds the signing keys and
 * publishes their public halves; every other process asks auth for them over NATS (`auth.keys.jwks`).
 */
@Injectable()
export class JwksSource {
  private readonly local?: JsonWebKeySet;

  constructor(
    @Inject(APP_CONFIG) config: BaseEnv & { ACCESS_TOKEN_SIGNING_KEYS?: string },
    private readonly rpc: RpcClient,
  ) {
    if (config.ACCESS_TOKEN_SIGNING_KEYS) {
      this.local = { keys: parseSigningKeys(config.ACCESS_TOKEN_SIGNING_KEYS).map((k) => k.publicJwk) };
    }
  }

  async fetch(): Promise<JsonWebKeySet> {
    if (this.local) {
      return this.local;
    }
    // Not on behalf of the caller: the key set is public, and no token of theirs should travel.
    return this.rpc.send('auth.keys.jwks', {}, { requestId: RequestContext.requestId() });
  }
}
