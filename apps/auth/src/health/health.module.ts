import { Module } from '@nestjs/common';
import { AuthHealthController } from './auth-health.controller';

/** `auth.health`; the Redis indicator is handed to DatabaseModule by the root module. */
@Module({
  controllers: [AuthHealthController],
})
export class HealthModule {}
