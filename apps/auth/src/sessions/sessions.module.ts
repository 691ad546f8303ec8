import { Module } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { AfterCommitHook } from './after-commit.hook';
import { SessionRevocationCache } from './session-revocation.cache';
import { SessionRevocationRemarker } from './session-revocation.remarker';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** Sessions and refresh tokens (AUTH-15, AUTH-18): start, refresh, tenant switch, revocation. */
@Module({
  imports: [CryptoModule, TokensModule, UsersModule],
  controllers: [SessionsController],
  providers: [
    SessionsService,
    SessionsRepository,
    SessionRevocationCache,
    SessionRevocationRemarker,
    AfterCommitHook,
  ],
  exports: [SessionsService],
})
export class SessionsModule {}
