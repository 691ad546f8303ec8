import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MultiLineText } from './input-text.util';
import { Language, LANGUAGES } from './language';
import {
  CASE_CODE_PATTERN,
  CASE_DEFAULT_PAGE_SIZE,
  CASE_MAX_PAGE_SIZE,
  CasePersonView,
  LocalizedText,
  LocalizedTextDto,
  MAX_CASE_TEXT,
  MAX_SUBJECT,
} from './cases.dto';

/** CASE-10: `KB` + 7 digits. */
export const KB_NUMBER_PATTERN = /^KB[0-9]{7}$/;
/**
 * A knowledge category's code; its leading number orders the categories (CASE-10), as in
 * `01-specifications`, `02-operation-guides`, `10-faq`.
 */
export const KNOWLEDGE_CATEGORY_CODE_PATTERN = /^[0-9a-z][0-9a-z_-]{0,39}$/;
/**
 * An article body: sanitised HTML, as long as a case description (a request body is at most 100 kB);
 * a longer document is a document article, whose body is a file.
 */
export const MAX_ARTICLE_BODY = MAX_CASE_TEXT;
/** A document article's description: a few sentences shown in lists beside its title. */
export const MAX_DOCUMENT_DESCRIPTION = 2000;

/**
 * CASE-10: an `html` article has a sanitised HTML body; a `document` article's body is a file (a PDF
 * specification, a spreadsheet of alert responses), shown in lists by its title and description.
 */
export const KNOWLEDGE_ARTICLE_FORMATS = ['html', 'document'] as const;
export type KnowledgeArticleFormat = (typeof KNOWLEDGE_ARTICLE_FORMATS)[number];

export class CreateKnowledgeBaseDto {
  @ApiProperty({ type: LocalizedTextDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  name!: LocalizedTextDto;

  @ApiPropertyOptional({
    example: 'edr',
    description:
      "A service's code: only tenants contracting it see the base; absent: a general base everyone sees",
  })
  @IsOptional()
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  service?: string;
}

export class CreateKnowledgeCategoryDto {
  @ApiProperty({ description: 'Id of the knowledge base' })
  @IsUUID()
  base!: string;

  @ApiProperty({
    example: '01-specifications',
    description: 'Unique in the base; its leading number orders the categories',
  })
  @IsString()
  @Matches(KNOWLEDGE_CATEGORY_CODE_PATTERN, {
    message: 'code must be lower-case letters, digits, _ or -, e.g. 01-specifications',
  })
  code!: string;

  @ApiProperty({ type: LocalizedTextDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  name!: LocalizedTextDto;
}

export class KnowledgeArticleDto {
  @ApiProperty({ description: 'Id of the knowledge base' })
  @IsUUID()
  base!: string;

  @ApiProperty({ description: 'Id of a category of that base' })
  @IsUUID()
  category!: string;

  @ApiProperty({ example: 'EDR agent: supported operating systems' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SUBJECT)
  title!: string;

  @ApiPropertyOptional({
    description:
      'Rich text (HTML), sanitised against the allow-list of comments. Required for an `html` article; a `document` article has none (its body is its file)',
  })
  // Required for `html` articles; the service says so (`body` is required) knowing the article's format.
  @ValidateIf((o: KnowledgeArticleDto) => o.body !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_ARTICLE_BODY)
  @MultiLineText()
  body?: string;

  @ApiProperty({ enum: LANGUAGES, description: 'The language the article is written in' })
  @IsIn(LANGUAGES)
  language!: Language;

  @ApiPropertyOptional({
    enum: KNOWLEDGE_ARTICLE_FORMATS,
    default: 'html',
    description:
      '`document`: the article is a file (e.g. a PDF specification) uploaded with `PUT /ops/knowledge/articles/{number}/document`; customers see it once its file is there. Fixed at creation (absent on update: unchanged)',
  })
  @IsOptional()
  @IsIn(KNOWLEDGE_ARTICLE_FORMATS)
  format?: KnowledgeArticleFormat;

  @ApiPropertyOptional({
    description: 'A document article only: plain text shown and searched with its title',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DOCUMENT_DESCRIPTION)
  @MultiLineText()
  description?: string;
}

export class KbNumberParam {
  @IsString()
  @Matches(KB_NUMBER_PATTERN, { message: 'number must be an article number like KB0000001' })
  number!: string;
}

export class UpdateKnowledgeArticleRequest extends KnowledgeArticleDto {
  @IsString()
  @Matches(KB_NUMBER_PATTERN)
  number!: string;
}

export class KnowledgeSearchQueryDto {
  @ApiPropertyOptional({
    description:
      'Keyword over titles and bodies: 2+ characters when it holds a Japanese character, else 3+ (`400 query_too_short`)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Id of a knowledge base' })
  @IsOptional()
  @IsUUID()
  base?: string;

  @ApiPropertyOptional({ description: 'Id of a category' })
  @IsOptional()
  @IsUUID()
  category?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, description: "The articles' language" })
  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: Language;

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

export interface KnowledgeCategoryView {
  id: string;
  code: string;
  /** In the caller's language. */
  name: string;
  names: LocalizedText;
  articleCount: number;
}

/** `GET /knowledge/bases`: a base the caller sees, with its categories in their order. */
export interface KnowledgeBaseView {
  id: string;
  /** In the caller's language. */
  name: string;
  names: LocalizedText;
  /** The service whose tenants see it; null for a general base. */
  service: string | null;
  articleCount: number;
  categories: KnowledgeCategoryView[];
}

export interface KnowledgeArticleSummaryView {
  number: string;
  title: string;
  language: Language;
  /** `document`: the article is a file (`document` in the article's answer). */
  format: KnowledgeArticleFormat;
  /** A document article's description, when it has one. */
  description?: string;
  base: { id: string; name: string };
  category: { id: string; code: string; name: string };
  /** Plain text around the first match of `q` (the start of the body without one). */
  snippet: string;
  author: CasePersonView;
  views: number;
  createdAt: string;
  updatedAt: string;
}

/** A file of an article, downloaded at `GET /knowledge/{number}/attachments/{id}`. */
export interface KnowledgeFileView {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  uploadedAt: string;
}

export interface KnowledgeArticleView extends Omit<KnowledgeArticleSummaryView, 'snippet'> {
  /** Sanitised HTML; empty for a document article. */
  body: string;
  /** Files attached to the article, oldest first. */
  attachments: KnowledgeFileView[];
  /** A document article's file (null for an `html` article, and until the file is uploaded). */
  document: KnowledgeFileView | null;
}

/** The article and file a download names. */
export class KbAttachmentParam {
  @IsString()
  @Matches(KB_NUMBER_PATTERN, { message: 'number must be an article number like KB0000001' })
  number!: string;

  @IsUUID()
  id!: string;
}

/** What an operator's upload adds: an attachment, or the file of a document article (replacing it). */
export const KNOWLEDGE_FILE_ROLES = ['attachment', 'document'] as const;
export type KnowledgeFileRole = (typeof KNOWLEDGE_FILE_ROLES)[number];

export interface KnowledgeSearchView {
  items: KnowledgeArticleSummaryView[];
  total: number;
  page: number;
  pageSize: number;
}
