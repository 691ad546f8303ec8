import { Module } from '@nestjs/common';

/** Profile, password change, MFA state and automatic MFA changes (AUTH-17, AUTH-19, AUTH-20). */
@Module({})
export class MeModule {}
