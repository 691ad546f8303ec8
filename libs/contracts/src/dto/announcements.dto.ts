import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MultiLineText } from './input-text.util';
import { TENANT_NUMBER_PATTERN } from './limits';
import { CASE_CODE_PATTERN, MAX_CASE_TEXT, MAX_SUBJECT } from './cases.dto';
import { KB_NUMBER_PATTERN } from './knowledge.dto';

/** Tenants or services one announcement may name; beyond that, `all` is the audience. */
export const MAX_AUDIENCE_ENTRIES = 1000;
/** Links to other portals shown on a tenant's home page. */
export const MAX_PORTAL_LINKS = 20;

/** Who sees an announcement (CASE-11): everyone, or the tenants named and the tenants contracting a service named. */
export class AnnouncementAudienceDto {
  @ApiPropertyOptional({ example: true, description: 'Every tenant' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['N202400003'], description: 'Customer numbers' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_AUDIENCE_ENTRIES)
  @Matches(TENANT_NUMBER_PATTERN, { each: true })
  tenants?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['edr'],
    description: 'Service codes: the tenants contracting one of them',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_AUDIENCE_ENTRIES)
  @Matches(CASE_CODE_PATTERN, { each: true })
  services?: string[];
}

export class AnnouncementDto {
  @ApiProperty({ example: 'Scheduled maintenance on 12 May' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SUBJECT)
  title!: string;

  @ApiProperty({ description: 'Rich text (HTML), sanitised against the allow-list of comments' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_CASE_TEXT)
  @MultiLineText()
  body!: string;

  @ApiPropertyOptional({ example: 'KB0000001', description: 'The article it points to (the usual case)' })
  @IsOptional()
  @IsString()
  @Matches(KB_NUMBER_PATTERN, { message: 'article must be an article number like KB0000001' })
  article?: string;

  @ApiProperty({ description: 'Shown as a banner until the user dismisses it' })
  @IsBoolean()
  banner!: boolean;

  @ApiProperty({ example: '2026-05-01T00:00:00+09:00', description: 'Shown from this time on (inclusive)' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ example: '2026-05-13T00:00:00+09:00', description: 'Shown until this time (exclusive)' })
  @IsISO8601({ strict: true })
  to!: string;

  @ApiProperty({ type: AnnouncementAudienceDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AnnouncementAudienceDto)
  audience!: AnnouncementAudienceDto;

  @ApiPropertyOptional({
    default: false,
    description:
      "Also e-mail it to every user of the audience, in each one's language, through the bulk queue (never ahead of security codes). Queued after the announcement is saved; an announcement is mailed once (`mailedAt`), however often this is sent",
  })
  @IsOptional()
  @IsBoolean()
  email?: boolean;
}

export class UpdateAnnouncementRequest extends AnnouncementDto {
  @IsUUID()
  id!: string;
}

/** `GET /announcements`: one announcement for the caller, `dismissed` when they closed its banner. */
export interface AnnouncementView {
  id: string;
  title: string;
  body: string;
  /** The linked article's number, only when the caller may read that article. */
  article?: string;
  banner: boolean;
  from: string;
  to: string;
  dismissed: boolean;
}

export interface AnnouncementAudienceView {
  all: boolean;
  tenants: string[];
  services: string[];
}

/** Operators' view of an announcement. */
export interface OpsAnnouncementView {
  id: string;
  title: string;
  body: string;
  article: string | null;
  banner: boolean;
  from: string;
  to: string;
  audience: AnnouncementAudienceView;
  createdAt: string;
  updatedAt: string;
  /** When its e-mail to the audience was queued; null when it was not mailed. */
  mailedAt: string | null;
}

export class PortalLinkDto {
  @ApiProperty({ example: 'EDR console' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: 'https://edr.example.com/console' })
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  url!: string;

  @ApiPropertyOptional({
    example: 'edr',
    description: 'The service the portal belongs to: shown only while the tenant contracts it',
  })
  @IsOptional()
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  service?: string;
}

/** The whole list of a tenant's links, in the order the home page shows them (CASE-11). */
export class PortalLinksDto {
  @ApiProperty({ type: [PortalLinkDto] })
  @IsArray()
  @ArrayMaxSize(MAX_PORTAL_LINKS)
  @ValidateNested({ each: true })
  @Type(() => PortalLinkDto)
  links!: PortalLinkDto[];
}

export class PortalLinksRequest extends PortalLinksDto {
  @IsString()
  @Matches(TENANT_NUMBER_PATTERN)
  tenant!: string;
}

export interface PortalLinkView {
  name: string;
  url: string;
  service: string | null;
}

/** `GET /home`: what a portal's home page shows (CASE-11). */
export interface HomeView {
  announcements: AnnouncementView[];
  caseCounts: { all: number; action_required: number; alerts: number };
  links: { name: string; url: string }[];
}
