import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { CredentialRefusal } from './credential-refusal';
import { LockoutRepository } from './lockout.repository';
import { LockoutService } from './lockout.service';

/** Per-ID lockout (AUTH-3) and the refusal of a wrong secret at every entry point that takes one. */
@Module({
  imports: [UsersModule],
  providers: [LockoutRepository, LockoutService, CredentialRefusal],
  exports: [LockoutService, CredentialRefusal],
})
export class LockoutModule {}
