import { Module } from '@nestjs/common';

/** Users, tenants, operators, password policy and hashing, lockout, password reset. */
@Module({})
export class AccountsModule {}
