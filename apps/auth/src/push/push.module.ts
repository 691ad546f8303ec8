import { Module } from '@nestjs/common';

/** App approval with number matching (AUTH-13). */
@Module({})
export class PushModule {}
