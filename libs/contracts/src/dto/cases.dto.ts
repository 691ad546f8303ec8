import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { TENANT_NUMBER_PATTERN } from './limits';

/** CASE-2: `CS` + 7 digits. */
export const CASE_NUMBER_PATTERN = /^CS[0-9]{7}$/;
/** Codes of services and categories: lower-case words joined by `_` or `-`, as in `edr`, `fault`. */
export const CASE_CODE_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;
export const MAX_SUBJECT = 200;
/** A description or comment in sanitised HTML; generous, and still one NATS message with room. */
export const MAX_CASE_TEXT = 100_000;
export const MAX_WATCHERS = 50;
/** CASE-8: pageSize 1–100, default 20; `total` is exact up to 10,000. */
export const CASE_MAX_PAGE_SIZE = 100;
export const CASE_DEFAULT_PAGE_SIZE = 20;
export const CASE_TOTAL_CAP = 10_000;

/** CASE-5. */
export const CASE_STATUSES = ['new', 'in_progress', 'awaiting_customer', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** What an operator may set with `POST /ops/cases/{number}/status` (CASE-5). */
export const OPERATOR_STATUSES = ['in_progress', 'awaiting_customer', 'resolved', 'closed'] as const;
export type OperatorStatus = (typeof OPERATOR_STATUSES)[number];
/** What a client may offer the caller on a case (CASE-2). */
export const CASE_ACTIONS = ['comment', 'attach', 'close', 'approve', 'reject'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
/** CASE-8 views. */
export const CASE_VIEWS = ['all', 'action_required', 'alerts'] as const;
export type CaseViewName = (typeof CASE_VIEWS)[number];

export class LocalizedTextDto {
  @ApiProperty({ example: '監視サービス' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  ja!: string;

  @ApiProperty({ example: 'Monitoring service' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  en!: string;
}

export class CreateServiceDto {
  @ApiProperty({ example: 'edr', description: 'Lower-case code, unique' })
  @IsString()
  @Matches(CASE_CODE_PATTERN, { message: 'code must be lower-case letters, digits, _ or -' })
  code!: string;

  @ApiProperty({ type: LocalizedTextDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  name!: LocalizedTextDto;

  @ApiPropertyOptional({
    description:
      'The service-specific contract settings: `{fields:[{key, label:{ja,en}, type}]}` (labels shown to customers in their language)',
  })
  @IsOptional()
  @IsObject()
  settingsSchema?: Record<string, unknown>;
}

export class CreateContractDto {
  @ApiProperty({ example: 'edr', description: 'Service code' })
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  service!: string;

  @ApiProperty({ example: '2026-04-01' })
  @IsISO8601({ strict: true })
  startDate!: string;

  @ApiPropertyOptional({ example: 'standard' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  licenceType?: string;

  @ApiPropertyOptional({ example: 100, description: 'Contracted ID count' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  idCount?: number;

  @ApiPropertyOptional({ description: 'Values of the service-specific settings' })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
}

export class UpdateContractDto {
  @ApiPropertyOptional({ example: '2026-04-01' })
  @IsOptional()
  @IsISO8601({ strict: true })
  startDate?: string;

  @ApiPropertyOptional({ nullable: true, description: '`null` clears it; left out, it stays' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  licenceType?: string | null;

  @ApiPropertyOptional({ nullable: true, description: '`null` clears it; left out, it stays' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  idCount?: number | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
}

export class UpdateContractRequest extends UpdateContractDto {
  @IsUUID()
  id!: string;
}

export class CreateContractRequest extends CreateContractDto {
  @IsString()
  @Matches(TENANT_NUMBER_PATTERN)
  tenant!: string;
}

export class IdParam {
  @IsUUID()
  id!: string;
}

export class CaseNumberParam {
  @IsString()
  @Matches(CASE_NUMBER_PATTERN, { message: 'number must be a case number like CS0000001' })
  number!: string;
}

export class CategoryCodeParam {
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  code!: string;
}

export class UpdateCategoryDto {
  @ApiProperty({ type: LocalizedTextDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  label!: LocalizedTextDto;

  @ApiProperty()
  @IsBoolean()
  customerSelectable!: boolean;
}

export class CategoryDto extends UpdateCategoryDto {
  @ApiProperty({ example: 'fault' })
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  code!: string;
}

export class CreateCaseDto {
  @ApiProperty({ example: 'edr', description: 'Code of a service the tenant contracts' })
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  service!: string;

  @ApiProperty({ example: 'service', description: 'A customer-selectable category (CASE-3)' })
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  category!: string;

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

  @ApiPropertyOptional({ type: [String], description: 'User ids of the tenant copied on the case' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_WATCHERS)
  @IsUUID('all', { each: true })
  watchers?: string[];
}

export class OpsCreateCaseDto {
  @ApiProperty({ example: 'N202400003' })
  @IsString()
  @Matches(TENANT_NUMBER_PATTERN)
  tenant!: string;

  @ApiProperty({ example: 'edr' })
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  service!: string;

  @ApiProperty({ example: 'monthly_report', description: 'Any category, system ones included' })
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  category!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SUBJECT)
  subject!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_CASE_TEXT)
  description!: string;
}

export class CaseStatusDto {
  @ApiProperty({ enum: OPERATOR_STATUSES })
  @IsIn(OPERATOR_STATUSES)
  status!: OperatorStatus;

  @ApiPropertyOptional({ description: 'Kept as a comment on the case' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_CASE_TEXT)
  comment?: string;
}

export class RejectSolutionDto {
  @ApiPropertyOptional({ description: 'Why the solution is rejected; kept as a comment' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_CASE_TEXT)
  reason?: string;
}

export class CommentDto {
  @ApiProperty({ description: 'Rich text (HTML), sanitised against an allow-list' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_CASE_TEXT)
  body!: string;
}

export class CaseListQueryDto {
  @ApiPropertyOptional({ enum: CASE_VIEWS, default: 'all' })
  @IsOptional()
  @IsIn(CASE_VIEWS)
  view?: CaseViewName;

  @ApiPropertyOptional({ description: 'Keyword over subject, description and comments (2+ characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ example: 'CS0000001', description: 'A case number, or its start' })
  @IsOptional()
  @IsString()
  @Matches(/^(CS)?[0-9]{1,7}$|^CS$/i, { message: 'number must be a case number or its start' })
  number?: string;

  @ApiPropertyOptional({
    description:
      'URL-encoded JSON: an array of OR groups, each an array of conditions `{field, op, value}` that must all hold',
  })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  filter?: string;

  @ApiPropertyOptional({
    example: '-updated,number',
    description: 'Comma-separated keys, `-` for descending',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sort?: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({ default: CASE_DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(CASE_MAX_PAGE_SIZE)
  pageSize?: number;
}

export interface LocalizedText {
  ja: string;
  en: string;
}

export interface ServiceView {
  code: string;
  name: LocalizedText;
  settingsSchema: Record<string, unknown> | null;
  createdAt: string;
}

export interface ContractView {
  id: string;
  tenant: string;
  contractor: string;
  service: string;
  serviceName: LocalizedText;
  startDate: string;
  licenceType: string | null;
  idCount: number | null;
  settings: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** A row of `GET /service-settings` (CASE-1). */
export interface ServiceSettingView {
  id: string;
  contractor: string;
  customerNumber: string;
  /** The service's name in the caller's language. */
  service: string;
  serviceCode: string;
  startDate: string;
}

/** `GET /service-settings/{id}`: the row, the contract's terms and its settings with their labels. */
export interface ServiceSettingDetailView extends ServiceSettingView {
  licenceType: string | null;
  idCount: number | null;
  settings: { key: string; label: string; value: unknown }[];
}

export interface CategoryView {
  code: string;
  label: LocalizedText;
  customerSelectable: boolean;
}

/** `GET /case-categories`: a category a customer may open an inquiry in, labelled in both languages. */
export interface CaseCategoryOptionView {
  code: string;
  label: LocalizedText;
}

export interface CasePersonView {
  id: string;
  name: string;
}

export interface CaseSummaryView {
  number: string;
  tenant: string;
  contractor: string;
  service: string;
  category: string;
  subject: string;
  description: string;
  requester: CasePersonView | null;
  watchers: CasePersonView[];
  status: CaseStatus;
  /** The status in the caller's language (CASE-3). */
  statusLabel: string;
  createdAt: string;
  updatedAt: string;
  availableActions: CaseAction[];
  statusMessage: string;
}

export interface CaseActivityView {
  id: string;
  kind: 'comment' | 'system';
  author: { id: string; name: string; role: 'customer' | 'operator' | 'integration' } | null;
  body?: string;
  event?: string;
  data?: Record<string, unknown>;
  at: string;
}

export interface CaseAttachmentView {
  id: string;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  uploadedAt: string;
  uploadedBy: CasePersonView | null;
}

export interface CaseDetailView extends CaseSummaryView {
  activity: CaseActivityView[];
  attachments: CaseAttachmentView[];
}

export interface CaseListView {
  items: CaseSummaryView[];
  total: number;
  totalIsExact: boolean;
  page: number;
  pageSize: number;
}

export const CASE_FILTER_VISIBILITIES = ['private', 'tenant'] as const;
export type CaseFilterVisibility = (typeof CASE_FILTER_VISIBILITIES)[number];

/** A saved filter (CASE-8): a name, who sees it, and a list query to run again. */
export class SaveCaseFilterDto {
  @ApiProperty({ example: 'Open VPN cases' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: CASE_FILTER_VISIBILITIES })
  @IsIn(CASE_FILTER_VISIBILITIES)
  visibility!: CaseFilterVisibility;

  @ApiPropertyOptional({ enum: CASE_VIEWS })
  @IsOptional()
  @IsIn(CASE_VIEWS)
  view?: CaseViewName;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'The filter JSON of `GET /cases`' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  filter?: string;

  @ApiPropertyOptional({ example: '-updated' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sort?: string;
}

export class UpdateCaseFilterRequest extends SaveCaseFilterDto {
  @IsUUID()
  id!: string;
}

export interface CaseFilterView {
  id: string;
  name: string;
  visibility: CaseFilterVisibility;
  owner: CasePersonView;
  view: CaseViewName;
  q: string | null;
  filter: string | null;
  sort: string | null;
}
