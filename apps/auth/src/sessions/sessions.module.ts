import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AuthEnv } from '@app/config';
import { SecretBox } from '../crypto/secret-box';
import { SecretHasher } from '../crypto/secret-hasher';
import { LoginAccountRepository } from '../login-flow/login-account.repository';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { AfterCommitHook } from './after-commit.hook';
import { SessionRevocationCache } from './session-revocation.cache';
import { SessionRevocationRemarker } from './session-revocation.remarker';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

/**
 * Sessions and tokens (AUTH-15, AUTH-18). A module of its own, depending on nothing of the accounts
 * side, so AccountsModule can import it for `revokeAllForUser` (password reset) while LoginModule
 * imports AccountsModule for lockout and hashing: no import cycle, no forwardRef. SecretHasher is
 * stateless, so this module's own instance is the same thing as the accounts side's.
 */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AuthEnv) => ({ secret: config.JWT_SECRET, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [SessionsController],
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
