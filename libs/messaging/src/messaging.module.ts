import { Global, Module } from '@nestjs/common';
import { AccessTokenVerifier } from './access-token-verifier';
import { JwksSource } from './jwks.source';
import { RpcClient } from './rpc-client';

/** The typed NATS client, one per process, and the access token verifier every process uses. */
@Global()
@Module({
  providers: [RpcClient, JwksSource, AccessTokenVerifier],
  exports: [RpcClient, JwksSource, AccessTokenVerifier],
})
export class MessagingModule {}
