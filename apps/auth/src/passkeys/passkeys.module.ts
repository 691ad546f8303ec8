import { Module } from '@nestjs/common';

/** Passkeys: registration, management and passkey login (AUTH-10). */
@Module({})
export class PasskeysModule {}
