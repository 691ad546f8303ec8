import { createHash } from 'node:crypto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { CASE_CODE_PATTERN, CaseSummaryView, MAX_CASE_TEXT, MAX_SUBJECT } from './cases.dto';
import { MAX_NAME, TENANT_NUMBER_PATTERN } from './limits';

/** What an integration's API key may do (API.md "Operators"). */
export const INTEGRATION_SCOPES = ['alerts:write', 'mail-events:write', 'audit:read'] as const;
export type IntegrationScope = (typeof INTEGRATION_SCOPES)[number];

/** Severities a monitoring system may give an alert (CASE-9). */
export const ALERT_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * An API key: `mmk_` + the key's public prefix (12 characters, also shown in the list so an operator
 * can tell which key a caller used) + `_` + 43 characters of base64url (256 random bits).
 */
export const API_KEY_PATTERN = /^mmk_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;
export const API_KEY_PREFIX_PATTERN = /^[a-z2-7]{12}$/;

/**
 * The SHA-256 of a whole API key (base64url): what the case service stores and what the gateway
 * compares a presented key's hash with. A key of 256 random bits needs no slow password hash.
 */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('base64url');
}
/** An external id as monitoring systems write them: printable ASCII without spaces. */
export const EXTERNAL_ID_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** Most tenants one key may be limited to; more means the key is meant for every tenant. */
export const MAX_INTEGRATION_TENANTS = 1000;

export class CreateIntegrationDto {
  @ApiProperty({ example: 'EDR alerts', description: 'A name operators recognise the key by' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  name!: string;

  @ApiProperty({ enum: INTEGRATION_SCOPES, isArray: true, example: ['alerts:write'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(INTEGRATION_SCOPES, { each: true })
  scopes!: IntegrationScope[];

  @ApiPropertyOptional({
    type: [String],
    example: ['N202400003'],
    description: 'Tenants the key may act for; omitted or empty: every tenant',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_INTEGRATION_TENANTS)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(TENANT_NUMBER_PATTERN, { each: true })
  tenants?: string[];
}

/** An integration as operators list it: never its key, never the key's hash. */
export interface IntegrationView {
  id: string;
  name: string;
  scopes: IntegrationScope[];
  /** Empty: every tenant. */
  tenants: string[];
  /** The key's public prefix (`mmk_<prefix>_…`). */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

/** The answer to creating an integration: the only time `apiKey` is ever shown. */
export interface CreatedIntegrationView extends IntegrationView {
  apiKey: string;
}

/**
 * What the gateway needs to check a key without the case service (which may be down): the SHA-256
 * of the whole key (a 256-bit random key needs no slow hash), its scopes, tenants and whether it
 * was revoked.
 */
export interface IntegrationKeyRecord {
  id: string;
  name: string;
  prefix: string;
  /** base64url SHA-256 of the whole key. */
  keyHash: string;
  scopes: IntegrationScope[];
  tenants: string[];
  revoked: boolean;
}

export class IntegrationKeyPrefixRequest {
  @IsString()
  @Matches(API_KEY_PREFIX_PATTERN)
  prefix!: string;
}

/** `POST /integrations/alerts` (CASE-9). */
export class AlertDto {
  @ApiProperty({
    example: 'edr-detection-4711',
    description: 'The alert id in the sending system; de-duplicates',
  })
  @IsString()
  @Matches(EXTERNAL_ID_PATTERN, {
    message: 'externalId must be 1–200 printable ASCII characters without spaces',
  })
  externalId!: string;

  @ApiPropertyOptional({
    example: 'N202400003',
    description: 'The tenant; may be left out when the key is limited to exactly one tenant',
  })
  @IsOptional()
  @IsString()
  @Matches(TENANT_NUMBER_PATTERN)
  tenant?: string;

  @ApiProperty({ example: 'edr', description: 'A service the tenant contracts' })
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  service!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SUBJECT)
  subject!: string;

  @ApiProperty({ description: 'Rich text (HTML), sanitised against an allow-list' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_CASE_TEXT)
  description!: string;

  @ApiPropertyOptional({ enum: ALERT_SEVERITIES })
  @IsOptional()
  @IsIn(ALERT_SEVERITIES)
  severity?: AlertSeverity;

  @ApiPropertyOptional({ description: 'Added to the case as a comment (a later call on a known externalId)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_CASE_TEXT)
  comment?: string;
}

/**
 * An alert as the gateway hands it on, directly or through the CASE_ALERTS stream: `alertId` is the
 * gateway's id of the HTTP request (the same whichever way it travels, so it is applied once),
 * `keyId` the integration whose key the gateway verified, `receivedAt` when the gateway took it.
 */
export class AlertRequest {
  @IsUUID()
  alertId!: string;

  @IsUUID()
  keyId!: string;

  @IsISO8601({ strict: true })
  receivedAt!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => AlertDto)
  alert!: AlertDto;
}

export interface AlertResult {
  /** True when this alert opened the case; false when it found the case of its externalId. */
  created: boolean;
  case: CaseSummaryView;
}

/** The answer while the case service is away: the alert is kept and will be applied (CASE-9). */
export interface AlertQueuedView {
  status: 'queued';
  alertId: string;
  externalId: string;
}

/** JetStream stream that keeps alerts the case service could not take at once. */
export const CASE_ALERTS_STREAM = 'CASE_ALERTS';
export const CASE_ALERTS_SUBJECT = 'case-alerts.received';
