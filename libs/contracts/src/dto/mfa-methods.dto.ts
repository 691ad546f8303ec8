import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { MAX_NAME, MAX_TOKEN } from './limits';

// ---- authenticator app (AUTH-8) -----------------------------------------------------------------

/** `POST /me/mfa/totp`: what the authenticator app needs, shown once. */
export class TotpEnrolmentView {
  @ApiProperty({
    description: 'Base32 secret, for typing into the app by hand',
    example: 'JBSWY3DPEHPK3PXP…',
  })
  secret!: string;

  @ApiProperty({ example: 'otpauth://totp/Mamori:user%40example.com?secret=JBSWY3DPEHPK3PXP…&issuer=Mamori' })
  otpauthUri!: string;

  @ApiProperty({
    description: 'The otpauth URI as a QR code: a PNG data URL',
    example: 'data:image/png;base64,…',
  })
  qrCode!: string;
}

export class TotpConfirmDto {
  @ApiProperty({ description: 'A code the authenticator app shows now', example: '123456' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(16)
  code!: string;
}

// ---- app approval (AUTH-13) -----------------------------------------------------------------------

export class RegisterApproverDto {
  @ApiProperty({ description: 'A name for the phone, shown at login', example: 'My phone' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  name!: string;
}

/** `POST /me/mfa/approver`: the token is shown once; the app sends it as `X-Approver-Token`. */
export class ApproverRegisteredView {
  @ApiProperty({ format: 'uuid' })
  approverId!: string;

  @ApiProperty({ description: 'Random 256-bit token (base64url), shown once' })
  approverToken!: string;
}

export class ApproverView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastUsedAt!: string | null;
}

export class ApproverIdParam {
  @IsUUID('all', { message: 'id must be an approver id' })
  id!: string;
}

/** One login waiting for approval, as the phone app lists it (never marks the right number). */
export class ApprovalRequestView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ nullable: true, type: String, description: 'Address of the browser that is logging in' })
  ip!: string | null;

  @ApiProperty({ nullable: true, type: String })
  userAgent!: string | null;

  @ApiProperty({
    type: [Number],
    description: 'Three numbers, one of them shown on the login screen; the user picks that one',
    example: [27, 84, 53],
  })
  candidates!: number[];
}

export const APPROVAL_DECISIONS = ['approve', 'deny'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export class ApprovalDecisionDto {
  @ApiProperty({ enum: APPROVAL_DECISIONS })
  @IsIn(APPROVAL_DECISIONS)
  decision!: ApprovalDecision;

  @ApiPropertyOptional({
    description: 'The number shown on the login screen; required to approve (a wrong one denies the request)',
    example: 27,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(99)
  matchNumber?: number;
}

export class ApprovalRequestIdParam {
  @IsUUID('all', { message: 'id must be an approval request id' })
  id!: string;
}

/** `POST /approver/requests/{id}`: what the decision became (an approval with a wrong number is a denial). */
export class ApprovalOutcomeView {
  @ApiProperty({ enum: ['approved', 'denied'] })
  status!: 'approved' | 'denied';
}

export const LOGIN_APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'expired'] as const;
export type LoginApprovalStatus = (typeof LOGIN_APPROVAL_STATUSES)[number];

/** `GET /auth/login/{flowId}`: the flow's latest approval request. */
export class LoginApprovalStatusView {
  @ApiProperty({ enum: LOGIN_APPROVAL_STATUSES })
  status!: LoginApprovalStatus;

  /** For a flow waiting for a code: the code's channel (NOTIF-5). */
  @ApiPropertyOptional({ enum: ['sms', 'email'] })
  method?: 'sms' | 'email';

  /** For a flow waiting for a code: when the code left for the provider (NOTIF-5); absent until then. */
  @ApiPropertyOptional({ format: 'date-time' })
  sentAt?: string;
}

// ---- RPC requests of the approver app (the gateway adds the token from the header) ------------------

/** The token of an approver app; any string, so a wrong one is `401 unauthorized`, not a validation error. */
export class ApproverTokenRequest {
  @IsString()
  @MaxLength(MAX_TOKEN)
  approverToken!: string;
}

export class ApproverDecisionRequest extends ApprovalDecisionDto {
  @IsString()
  @MaxLength(MAX_TOKEN)
  approverToken!: string;

  @IsUUID('all')
  id!: string;
}
