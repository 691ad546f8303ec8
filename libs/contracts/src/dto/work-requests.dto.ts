import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MultiLineText } from './input-text.util';
import { CASE_CODE_PATTERN, LocalizedText, LocalizedTextDto } from './cases.dto';

/** CASE-7: the kinds of field a work request item's form may have. */
export const WORK_REQUEST_FIELD_TYPES = ['text', 'textarea', 'select', 'date', 'number'] as const;
export type WorkRequestFieldType = (typeof WORK_REQUEST_FIELD_TYPES)[number];

export const WORK_REQUEST_STATUSES = ['submitted', 'accepted', 'rejected'] as const;
export type WorkRequestStatus = (typeof WORK_REQUEST_STATUSES)[number];

/** An item's number in the catalogue, e.g. `WR-001`: the catalogue is listed in this order. */
export const WORK_REQUEST_ITEM_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
/** A form field's key, as the submitted `fields` object names it. */
export const WORK_REQUEST_FIELD_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
export const MAX_WORK_REQUEST_FIELDS = 50;
export const MAX_WORK_REQUEST_OPTIONS = 100;
/** A `text` field is one line of at most this many characters. */
export const MAX_WORK_REQUEST_TEXT = 200;
/** A `textarea` field (line breaks allowed). */
export const MAX_WORK_REQUEST_TEXTAREA = 10_000;
export const MAX_WORK_REQUEST_DESCRIPTION = 2_000;
export const MAX_WORK_REQUEST_REASON = 2_000;

export class LocalizedDescriptionDto {
  @ApiProperty({ example: 'ブロックリストにURLを追加します。' })
  @IsString()
  @MaxLength(MAX_WORK_REQUEST_DESCRIPTION)
  @MultiLineText()
  ja!: string;

  @ApiProperty({ example: 'Adds URLs to the block list.' })
  @IsString()
  @MaxLength(MAX_WORK_REQUEST_DESCRIPTION)
  @MultiLineText()
  en!: string;
}

export class WorkRequestOptionDto {
  @ApiProperty({ example: 'high', description: 'What a submission sends for this choice' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  value!: string;

  @ApiProperty({ type: LocalizedTextDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  label!: LocalizedTextDto;
}

export class WorkRequestFieldDto {
  @ApiProperty({ example: 'targetUrl', description: 'Unique in the item; the key in a submission' })
  @IsString()
  @Matches(WORK_REQUEST_FIELD_KEY_PATTERN, {
    message: 'key must start with a letter and hold only letters, digits and _ (at most 40)',
  })
  key!: string;

  @ApiProperty({ type: LocalizedTextDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  label!: LocalizedTextDto;

  @ApiProperty({ enum: WORK_REQUEST_FIELD_TYPES })
  @IsIn(WORK_REQUEST_FIELD_TYPES)
  type!: WorkRequestFieldType;

  @ApiProperty()
  @IsBoolean()
  required!: boolean;

  @ApiPropertyOptional({ type: [WorkRequestOptionDto], description: 'The choices of a select field' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_WORK_REQUEST_OPTIONS)
  @ValidateNested({ each: true })
  @Type(() => WorkRequestOptionDto)
  options?: WorkRequestOptionDto[];
}

/** An operator's catalogue item (CASE-7); `PUT` replaces the whole item. */
export class WorkRequestItemDto {
  @ApiProperty({ example: 'WR-001', description: "The item's number; unique, orders the catalogue" })
  @IsString()
  @Matches(WORK_REQUEST_ITEM_CODE_PATTERN, {
    message: 'code must be letters, digits, _ or - (at most 40), e.g. WR-001',
  })
  code!: string;

  @ApiProperty({ type: LocalizedTextDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  name!: LocalizedTextDto;

  @ApiProperty({ type: LocalizedDescriptionDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedDescriptionDto)
  description!: LocalizedDescriptionDto;

  @ApiProperty({
    example: 'edr',
    description: 'The service the work is for: tenants contracting it see the item, and its cases are in it',
  })
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  service!: string;

  @ApiProperty({ type: [WorkRequestFieldDto] })
  @IsArray()
  @ArrayMaxSize(MAX_WORK_REQUEST_FIELDS)
  @ValidateNested({ each: true })
  @Type(() => WorkRequestFieldDto)
  fields!: WorkRequestFieldDto[];

  @ApiPropertyOptional({ description: 'false withdraws the item from the catalogue; default true' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateWorkRequestItemRequest extends WorkRequestItemDto {
  @IsUUID()
  id!: string;
}

/** A customer's request (CASE-7): the values are checked against the item's form. */
export class SubmitWorkRequestDto {
  @ApiProperty({ description: 'Id of a catalogue item' })
  @IsUUID()
  itemId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { targetUrl: 'https://bad.example', priority: 'high' },
    description:
      'Field key → value: a string for text, textarea, select (an option value) and date (YYYY-MM-DD), a number for number',
  })
  @IsObject()
  @MultiLineText()
  fields!: Record<string, unknown>;
}

export class RejectWorkRequestDto {
  @ApiProperty({ description: 'Shown to the customer' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_WORK_REQUEST_REASON)
  @MultiLineText()
  reason!: string;
}

export class RejectWorkRequestRequest extends RejectWorkRequestDto {
  @IsUUID()
  id!: string;
}

export class OpsWorkRequestQueryDto {
  @ApiPropertyOptional({ enum: WORK_REQUEST_STATUSES })
  @IsOptional()
  @IsIn(WORK_REQUEST_STATUSES)
  status?: WorkRequestStatus;
}

export interface WorkRequestOptionView {
  value: string;
  label: string;
}

export interface WorkRequestFieldView {
  key: string;
  label: string;
  type: WorkRequestFieldType;
  required: boolean;
  options?: WorkRequestOptionView[];
}

/** API.md `GET /work-request-items`: labels in the reader's language. */
export interface WorkRequestItemView {
  id: string;
  code: string;
  name: string;
  description: string;
  service: string;
  fields: WorkRequestFieldView[];
}

export interface OpsWorkRequestFieldView {
  key: string;
  label: LocalizedText;
  type: WorkRequestFieldType;
  required: boolean;
  options?: { value: string; label: LocalizedText }[];
}

export interface OpsWorkRequestItemView {
  id: string;
  code: string;
  name: LocalizedText;
  description: LocalizedText;
  service: string;
  fields: OpsWorkRequestFieldView[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WorkRequestAttachmentView {
  id: string;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  uploadedAt: string;
}

/** API.md `GET /work-requests`, plus what was submitted (labels in the reader's language). */
export interface WorkRequestView {
  id: string;
  item: { id: string; code: string; name: string };
  status: WorkRequestStatus;
  submittedAt: string;
  decidedAt?: string;
  reason?: string;
  caseNumber?: string;
  requester: { id: string; name: string };
  fields: { key: string; label: string; type: WorkRequestFieldType; value: string | number }[];
  attachments: WorkRequestAttachmentView[];
}

export interface OpsWorkRequestView extends WorkRequestView {
  tenant: string;
  service: string;
}

/** API.md `POST /ops/work-requests/{id}/accept`. */
export interface WorkRequestAcceptedView {
  caseNumber: string;
}
