import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';

// ---- trusted browsers (AUTH-9) ------------------------------------------------------------------

/** One trusted browser of the caller. The device token itself is never shown again. */
export class TrustedBrowserView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The name the user gave when trusting the browser', example: 'Office PC' })
  name!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Last login it skipped' })
  lastUsedAt!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'User agent when it was trusted' })
  userAgent!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'IP address when it was trusted' })
  ip!: string | null;

  @ApiProperty({ format: 'date-time', description: 'When the trust ends by itself' })
  expiresAt!: string;
}

export class TrustedBrowserIdParam {
  @IsString()
  @IsUUID()
  id!: string;
}

// ---- the tenant's login security policy (AUTH-5, AUTH-9) ----------------------------------------

/** Longest trust a tenant may give a browser (AUTH-9: up to 90 days). */
export const MAX_TRUSTED_BROWSER_DAYS = 90;

/** `GET|PUT /admin/security-policy`: the active tenant's policy. */
export class SecurityPolicyView {
  @ApiProperty({ description: 'Every user of the tenant gets a second step at login (AUTH-5)' })
  mfaAlways!: boolean;

  @ApiProperty({
    nullable: true,
    type: Number,
    minimum: 1,
    maximum: MAX_TRUSTED_BROWSER_DAYS,
    description:
      'How long a trusted browser skips the second step, in days; null: the platform default (8 hours). ' +
      'A user in several tenants gets the shortest of them.',
  })
  trustedBrowserDays!: number | null;
}

/** `PUT /admin/security-policy`: absent fields stay as they are; `trustedBrowserDays: null` restores the default. */
export class UpdateSecurityPolicyDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  mfaAlways?: boolean;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 1, maximum: MAX_TRUSTED_BROWSER_DAYS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TRUSTED_BROWSER_DAYS)
  trustedBrowserDays?: number | null;
}
