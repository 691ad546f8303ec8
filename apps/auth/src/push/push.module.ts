import { Module } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { FlowsModule } from '../flows/flows.module';
import { LockoutModule } from '../lockout/lockout.module';
import { SendCapsModule } from '../send-caps/send-caps.module';
import { UsersModule } from '../users/users.module';
import { ApprovalRequestsService } from './approval-requests.service';
import { ApproversService } from './approvers.service';
import { PushRepository } from './push.repository';
import { PushController } from './push.controller';
import { PushSecondStepService } from './push-second-step.service';

/** App approval with number matching (AUTH-13): approver apps, approval requests, the `push` method. */
@Module({
  imports: [CryptoModule, UsersModule, LockoutModule, FlowsModule, SendCapsModule],
  controllers: [PushController],
  providers: [PushRepository, ApproversService, ApprovalRequestsService, PushSecondStepService],
})
export class PushModule {}
