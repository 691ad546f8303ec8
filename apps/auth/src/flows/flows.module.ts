import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { FlowsRepository } from './flows.repository';
import { LoginFlowService } from './login-flow.service';
import { SecondStepMethods } from './second-step-methods';
import { StepUpService } from './step-up.service';

/**
 * Login and step-up flows, the registry of second-step methods and step-up (AUTH-5, AUTH-12).
 * Depends only on UsersModule, so every area (TOTP, passkeys, profile, admin, risk) can import it
 * for `StepUpService` and to register a method, and the login module can import those areas in turn.
 */
@Module({
  imports: [UsersModule],
  providers: [FlowsRepository, LoginFlowService, SecondStepMethods, StepUpService],
  exports: [LoginFlowService, SecondStepMethods, StepUpService],
})
export class FlowsModule {}
