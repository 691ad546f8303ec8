import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { CryptoModule } from '../crypto/crypto.module';
import { JwksController } from './jwks.controller';
import { TokenIssuer } from './token-issuer.service';

/** Access tokens: signing (AUTH-15) and the published verification keys. */
@Module({
  imports: [
    // The keys are per call (TokenIssuer signs with ACCESS_TOKEN_SIGNING_KEYS' first key).
    JwtModule.register({}),
    CryptoModule,
  ],
  controllers: [JwksController],
  providers: [TokenIssuer],
  exports: [TokenIssuer],
})
export class TokensModule {}
