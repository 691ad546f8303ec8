import { Global, Module } from '@nestjs/common';
import { RpcClient } from './rpc-client';

/** The typed NATS client, one per process. */
@Global()
@Module({ providers: [RpcClient], exports: [RpcClient] })
export class MessagingModule {}
