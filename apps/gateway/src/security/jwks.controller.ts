import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JsonWebKeySet } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { Public } from './public.decorator';

/**
 * `GET /.well-known/jwks.json`, outside `/api/v1`: the public keys that verify Mamori's access
 * tokens, as auth publishes them. During a key rotation it lists the new key and the old one.
 */
@ApiTags('keys')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('jwks.json')
  // Public keys change only on a rotation; a verifier asks again when a token names an unknown kid.
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The public keys (JWK Set, ES256) that verify access tokens' })
  @ApiOkResponse({
    description:
      'RFC 7517 JWK Set: `{ keys: [{ kty: "EC", crv: "P-256", x, y, kid, alg: "ES256", use: "sig" }] }`',
  })
  async jwks(): Promise<JsonWebKeySet> {
    return this.rpc.send('auth.keys.jwks', {});
  }
}
