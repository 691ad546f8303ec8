import { Module } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { LockoutModule } from '../lockout/lockout.module';
import { PasswordModule } from '../password/password.module';
import { SendCapsModule } from '../send-caps/send-caps.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { PasswordResetGuardRepository } from './password-reset-guard.repository';
import { PasswordResetTokenRepository } from './password-reset-token.repository';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';

/** Password reset by e-mailed link (AUTH-14); a completed reset ends the user's sessions. */
@Module({
  imports: [CryptoModule, UsersModule, PasswordModule, LockoutModule, SessionsModule, SendCapsModule],
  controllers: [PasswordResetController],
  providers: [PasswordResetGuardRepository, PasswordResetTokenRepository, PasswordResetService],
})
export class PasswordResetModule {}
