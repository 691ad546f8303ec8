import { Module } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { FlowsModule } from '../flows/flows.module';
import { LockoutModule } from '../lockout/lockout.module';
import { SendCapsModule } from '../send-caps/send-caps.module';
import { UsersModule } from '../users/users.module';
import { LoginCodeController } from './login-code.controller';
import { SecurityCodesRepository } from './security-codes.repository';
import { SecurityCodesService } from './security-codes.service';

/** Security codes by e-mail and SMS (AUTH-6): the built-in second-step method and its sends. */
@Module({
  imports: [CryptoModule, UsersModule, LockoutModule, FlowsModule, SendCapsModule],
  controllers: [LoginCodeController],
  providers: [SecurityCodesRepository, SecurityCodesService],
})
export class SecurityCodesModule {}
