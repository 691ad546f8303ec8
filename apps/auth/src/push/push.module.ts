import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts.module';
import { FlowsModule } from '../login-flow/flows.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ApprovalRequestsService } from './approval-requests.service';
import { ApproversService } from './approvers.service';
import { PushController } from './push.controller';
import { PushSecondStepService } from './push-second-step.service';
import { SendCapsModule } from '../send-caps/send-caps.module';

/** App approval with number matching (AUTH-13): approver apps, approval requests, the `push` method. */
@Module({
  // AccountsModule for SecretHasher and LockoutService; SessionsModule for LoginAccountRepository.
  imports: [AccountsModule, FlowsModule, SessionsModule, SendCapsModule],
  controllers: [PushController],
  providers: [ApproversService, ApprovalRequestsService, PushSecondStepService],
})
export class PushModule {}
