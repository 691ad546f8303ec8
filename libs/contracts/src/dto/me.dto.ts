import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { SmsDisabledReason } from '../jobs/notification-job';
import { LANGUAGES, Language } from './language';
import { E164_PATTERN, MAX_EMAIL, MAX_NAME, MAX_PASSWORD_INPUT } from './limits';
import { TenantMembershipView } from './views';

/** The longest IANA zone name is about 30 characters; anything much longer is not one. */
const MAX_TIME_ZONE = 64;
/** CASE-2: a case number is `CS` + 7 digits. */
const CASE_NUMBER_PATTERN = /^CS[0-9]{7}$/;
/** What an operator may type for a phone number read out on a call: digits and the usual separators. */
const SPOKEN_PHONE_PATTERN = /^\+?[0-9][0-9 ()-]{5,30}$/;
const USER_UUID_PATTERN = /^[0-9a-f-]{36}$/;

/**
 * `PATCH /me` (AUTH-20). Only the fields given change. Changing the e-mail or the phone needs a
 * fresh second step (AUTH-12); the display name, language and time zone do not.
 */
export class UpdateProfileDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Hanako (Sales)',
    description: 'How you are shown in the portal; null or empty clears it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME)
  displayName?: string | null;

  @ApiPropertyOptional({ description: 'Contact e-mail; effective at once. Needs a fresh second step.' })
  // Not IsOptional: that would let `null` through, and the account must keep an address.
  @ValidateIf((o: UpdateProfileDto) => o.email !== undefined)
  @IsEmail()
  @MaxLength(MAX_EMAIL)
  email?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '+819012345678',
    description:
      'Mobile phone for SMS codes, E.164. null removes it, which switches SMS codes off (AUTH-19). ' +
      'Registering a phone again switches them back on. Needs a fresh second step.',
  })
  @IsOptional()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be in E.164 form, e.g. +819012345678' })
  phone?: string | null;

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Language of messages to you' })
  @ValidateIf((o: UpdateProfileDto) => o.language !== undefined)
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ example: 'Asia/Tokyo', description: 'An IANA time zone' })
  @ValidateIf((o: UpdateProfileDto) => o.timezone !== undefined)
  @IsString()
  @MaxLength(MAX_TIME_ZONE)
  // A zone name, not an offset (newer ICU versions accept `+09:00` as a zone).
  @Matches(/^[A-Za-z]/, { message: 'timezone must be an IANA time zone, e.g. Asia/Tokyo' })
  @IsTimeZone({ message: 'timezone must be an IANA time zone, e.g. Asia/Tokyo' })
  timezone?: string;
}

/**
 * `POST /me/password` (AUTH-17). `confirmation` is optional (API.md lists the call without it); when
 * given it must equal `newPassword`, reported as the policy's rule `confirmation_matches`.
 */
export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_INPUT)
  currentPassword!: string;

  @ApiProperty({ description: 'Checked against the password policy (GET /auth/password-policy)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_INPUT)
  newPassword!: string;

  @ApiPropertyOptional({ description: 'The new password typed again' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT)
  confirmation?: string;
}

/**
 * `POST /ops/users/{id}/mfa-reset` (AUTH-19): the case the request came in under and what the caller
 * told the operator about themselves. Every field given must match the account.
 */
export class MfaResetDto {
  @ApiProperty({ example: 'CS0000123', description: 'The case the reset was requested under' })
  @IsString()
  @Matches(CASE_NUMBER_PATTERN, { message: 'caseNumber must be a case number like CS0000123' })
  caseNumber!: string;

  @ApiProperty({ description: 'Registered e-mail (compared without regard to case)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_EMAIL)
  email!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  familyName!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME)
  givenName?: string;

  @ApiProperty({ description: "Company: the name of one of the user's tenants" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  company!: string;

  @ApiPropertyOptional({
    example: '090-1234-5678',
    description: 'Registered mobile phone; only the digits are compared (a leading 0 is +81)',
  })
  @IsOptional()
  @IsString()
  @Matches(SPOKEN_PHONE_PATTERN, { message: 'phone must be a phone number' })
  phone?: string;
}

/** `POST /ops/users/{id}/phone-line-cancelled` (AUTH-19): the carrier's notice that a line ended. */
export class PhoneLineCancelledDto {
  @ApiPropertyOptional({
    example: '+819012345678',
    description:
      "The number in the carrier's notice. When given it must be the user's registered phone, so a " +
      'notice about an old number does not switch off the SMS codes of a new one.',
  })
  @IsOptional()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be in E.164 form, e.g. +819012345678' })
  phone?: string;
}

/** MfaResetDto as it crosses NATS, with the user from the path. */
export class MfaResetRequest extends MfaResetDto {
  @IsString()
  @Matches(USER_UUID_PATTERN, { message: 'id must be a user id' })
  id!: string;
}

/** PhoneLineCancelledDto as it crosses NATS, with the user from the path. */
export class PhoneLineCancelledRequest extends PhoneLineCancelledDto {
  @IsString()
  @Matches(USER_UUID_PATTERN, { message: 'id must be a user id' })
  id!: string;
}

/** `GET /me` (AUTH-20): the caller's own account. */
export interface MeView {
  /** Internal user id (uuid). */
  id: string;
  /** Login ID. */
  userId: string;
  familyName: string;
  givenName: string | null;
  displayName: string | null;
  email: string;
  phone: string | null;
  officePhone: string | null;
  language: Language;
  timezone: string;
  tenants: TenantMembershipView[];
  /** The active tenant of the caller's token; null for operators and before one is picked. */
  activeTenant: string | null;
}

/** `GET /me/security`: the state of the caller's sign-in methods. */
export interface MeSecurityView {
  /** The second step is required by the user's own flag, or a second factor is enrolled. */
  mfaEnabled: boolean;
  sms: {
    /** A phone is registered and SMS codes are not switched off (AUTH-6, AUTH-19). */
    available: boolean;
    /** Why SMS codes were switched off automatically, null when they were not (AUTH-19). */
    disabledReason: SmsDisabledReason | null;
  };
  email: { address: string; undeliverable: boolean };
  totp: { enabled: boolean };
  /** Registered passkeys. */
  passkeys: number;
  /** Trusted browsers still skipping the second step (not revoked, not expired, not voided). */
  trustedBrowsers: number;
}
