import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { SecretBox } from '../crypto/secret-box';
import { SecretHasher } from '../crypto/secret-hasher';
import { LoginAccountRepository } from '../login-flow/login-account.repository';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { AfterCommitHook } from './after-commit.hook';
import { SessionRevocationCache } from './session-revocation.cache';
import { SessionRevocationRemarker } from './session-revocation.remarker';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { JwksController } from '../tokens/jwks.controller';

/**
 * Sessions and tokens (AUTH-15, AUTH-18). A module of its own, depending on nothing of the accounts
 * side, so AccountsModule can import it for `revokeAllForUser` (password reset) while LoginModule
 * imports AccountsModule for lockout and hashing: no import cycle, no forwardRef. SecretHasher is
 * stateless, so this module's own instance is the same thing as the accounts side's.
 */
@Module({
  imports: [
    // The keys are per call (TokenIssuer signs with ACCESS_TOKEN_SIGNING_KEYS' first key).
    JwtModule.register({}),
  ],
  controllers: [SessionsController, JwksController],
  providers: [
    SessionsService,
    SessionRevocationCache,
    SessionRevocationRemarker,
    AfterCommitHook,
    TokenIssuer,
    LoginAccountRepository,
    SecretHasher,
    SecretBox,
  ],
  exports: [SessionsService, LoginAccountRepository],
})
export class SessionsModule {}
