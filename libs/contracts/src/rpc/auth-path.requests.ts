import { OmitType } from '@nestjs/swagger';
import { IsString, IsUUID, Matches } from 'class-validator';
import {
  ChallengeDto,
  InitialPasswordDto,
  PasswordResetCompleteDto,
  RESET_TOKEN_PATTERN,
  VerifyDto,
} from '../dto/auth.dto';
import { OpsAuditEventsQueryDto } from '../dto/audit.dto';
import { TENANT_NUMBER_PATTERN } from '../dto/limits';
import { CreateTenantUserDto } from '../dto/ops.dto';

/*
 * Requests whose fields come from the body and the path: the gateway puts the path's fields into the
 * request, and the service validates both, since a NATS peer need not have come through the gateway.
 */

export class ChallengeRequest extends ChallengeDto {
  @IsUUID('all', { message: 'flowId must be a login flow id' })
  flowId!: string;
}

export class VerifyRequest extends VerifyDto {
  @IsUUID('all', { message: 'flowId must be a login flow id' })
  flowId!: string;
}

export class InitialPasswordRequest extends InitialPasswordDto {
  @IsUUID('all', { message: 'flowId must be a login flow id' })
  flowId!: string;
}

export class PasswordResetCompleteRequest extends PasswordResetCompleteDto {
  @IsString()
  @Matches(RESET_TOKEN_PATTERN)
  token!: string;
}

export class CreateTenantUserRequest extends CreateTenantUserDto {
  @IsString()
  @Matches(TENANT_NUMBER_PATTERN)
  tenant!: string;
}

/** One page of a tenant's audit events: the filters without `format` (files are built by the gateway). */
export class AuditEventsPageRequest extends OmitType(OpsAuditEventsQueryDto, ['format'] as const) {}
