import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MAX_NAME, MAX_PASSWORD_INPUT, MAX_TOKEN, MAX_USER_ID_INPUT, MAX_EMAIL } from './limits';

export const CHALLENGE_METHODS = ['sms', 'email', 'push'] as const;
export type ChallengeMethod = (typeof CHALLENGE_METHODS)[number];
export const VERIFY_METHODS = ['sms', 'email', 'totp', 'push'] as const;
export type VerifyMethod = (typeof VERIFY_METHODS)[number];

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com.fm' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_INPUT)
  userId!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_INPUT)
  password!: string;

  @ApiPropertyOptional({ description: 'Trusted-browser token (also accepted as cookie mamori_device)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TOKEN)
  deviceToken?: string;
}

export class ChallengeDto {
  @ApiProperty({ enum: CHALLENGE_METHODS })
  @IsIn(CHALLENGE_METHODS)
  method!: ChallengeMethod;
}

export class TrustBrowserDto {
  @ApiProperty({ example: 'Office laptop' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  name!: string;
}

export class VerifyDto {
  @ApiProperty({ enum: VERIFY_METHODS })
  @IsIn(VERIFY_METHODS)
  method!: VerifyMethod;

  @ApiPropertyOptional({ example: '123456' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  code?: string;

  @ApiPropertyOptional({ type: TrustBrowserDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TrustBrowserDto)
  trustBrowser?: TrustBrowserDto;
}

export class InitialPasswordDto {
  @ApiProperty({ description: 'The initial authentication password chosen by the admin who registered you' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_INPUT)
  initialPassword!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TOKEN)
  refreshToken!: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'End every session of the user ("log out everywhere")' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}

export class SelectTenantDto {
  @ApiProperty({ example: 'N202400003' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  tenant!: string;
}

export class PasswordResetRequestDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_INPUT)
  userId!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_EMAIL)
  email!: string;
}

export class PasswordResetCompleteDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_INPUT)
  newPassword!: string;
}

/** A password reset token as it appears in the reset link. */
export const RESET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,128}$/;

export class ResetTokenParam {
  @IsString()
  @Matches(RESET_TOKEN_PATTERN)
  token!: string;
}

export class CreateOperatorDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_INPUT)
  userId!: string;

  @IsEmail()
  @MaxLength(MAX_EMAIL)
  email!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_INPUT)
  password!: string;
}
