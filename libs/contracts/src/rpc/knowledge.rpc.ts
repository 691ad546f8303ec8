import {
  AnnouncementDto,
  AnnouncementView,
  HomeView,
  OpsAnnouncementView,
  PortalLinksRequest,
  PortalLinkView,
  UpdateAnnouncementRequest,
} from '../dto/announcements.dto';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_AUDIENCE_ENTRIES } from '../dto/announcements.dto';
import { TENANT_NUMBER_PATTERN } from '../dto/limits';
import { IdParam } from '../dto/cases.dto';
import {
  KB_NUMBER_PATTERN,
  KbAttachmentParam,
  KNOWLEDGE_FILE_ROLES,
  KnowledgeFileRole,
  KnowledgeFileView,
  CreateKnowledgeBaseDto,
  CreateKnowledgeCategoryDto,
  KbNumberParam,
  KnowledgeArticleDto,
  KnowledgeArticleView,
  KnowledgeBaseView,
  KnowledgeCategoryView,
  KnowledgeSearchQueryDto,
  KnowledgeSearchView,
  UpdateKnowledgeArticleRequest,
} from '../dto/knowledge.dto';
import {
  AttachmentDownload,
  AttachmentTicket,
  MAX_ATTACHMENT_NAME,
  MEDIA_TYPE_PATTERN,
} from './attachments.rpc';
import { AreaRequestClasses, EmptyRequest } from './rpc-request-class';
import { DirectoryUser, TenantRequest } from './cases.rpc';

type Empty = Record<string, never>;

/** Members of a directory page at most. */
export const MAX_DIRECTORY_PAGE = 1000;

/**
 * One page of the members of an audience (CASE-11 announcement e-mail): every tenant's with `all`,
 * else the named tenants'. Pages follow user ids; `after` is the last id of the previous page.
 */
export class DirectoryMembersRequest {
  @IsOptional()
  @IsBoolean()
  all?: boolean;

  @IsArray()
  @ArrayMaxSize(MAX_AUDIENCE_ENTRIES)
  @Matches(TENANT_NUMBER_PATTERN, { each: true })
  tenants!: string[];

  @IsOptional()
  @IsUUID()
  after?: string;

  @IsInt()
  @Min(1)
  @Max(MAX_DIRECTORY_PAGE)
  limit!: number;
}

/** A member of an audience: once per user, with the tenant whose notification address is used. */
export interface DirectoryMember extends DirectoryUser {
  tenant: string;
}

export interface DirectoryMembersPage {
  members: DirectoryMember[];
  /** The `after` of the next page; null on the last one. */
  next: string | null;
}

/** An operator's upload to an article begins: an attachment, or the document article's file. */
export class KbUploadBeginRequest {
  @IsString()
  @Matches(KB_NUMBER_PATTERN)
  number!: string;

  @IsIn(KNOWLEDGE_FILE_ROLES)
  role!: KnowledgeFileRole;
}

/** What the gateway measured while an article's file streamed to the store. */
export class KbUploadCommitRequest extends KbUploadBeginRequest {
  @IsUUID()
  id!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(MAX_ATTACHMENT_NAME)
  name!: string;

  @IsInt()
  @Min(0)
  size!: number;

  @IsString()
  @Matches(/^[0-9a-f]{64}$/)
  sha256!: string;

  @IsString()
  @Matches(MEDIA_TYPE_PATTERN)
  contentType!: string;
}

/*
 * Knowledge (CASE-10), announcements and the home page (CASE-11) of the case management service,
 * merged into RpcMap. Customer subjects act on the active tenant of `ctx.principal` and the bases
 * and announcements meant for it; `ops` subjects are the operators'.
 */
declare module './rpc-map' {
  interface RpcMap {
    /** Customer: the bases the tenant sees with article counts (CASE-10 landing data). */
    'case-management.knowledge.bases': [Empty, KnowledgeBaseView[]];
    /** Customer: search or list the articles the tenant sees, newest first. */
    'case-management.knowledge.search': [KnowledgeSearchQueryDto, KnowledgeSearchView];
    /** Customer: one article; counts a view, once per user per day. */
    'case-management.knowledge.get': [KbNumberParam, KnowledgeArticleView];
    /** Operator: every base, category and article. */
    'case-management.ops.knowledge.bases': [Empty, KnowledgeBaseView[]];
    'case-management.ops.knowledge.base.create': [CreateKnowledgeBaseDto, KnowledgeBaseView];
    'case-management.ops.knowledge.category.create': [CreateKnowledgeCategoryDto, KnowledgeCategoryView];
    'case-management.ops.knowledge.search': [KnowledgeSearchQueryDto, KnowledgeSearchView];
    'case-management.ops.knowledge.get': [KbNumberParam, KnowledgeArticleView];
    'case-management.ops.knowledge.article.create': [KnowledgeArticleDto, KnowledgeArticleView];
    'case-management.ops.knowledge.article.update': [UpdateKnowledgeArticleRequest, KnowledgeArticleView];
    'case-management.ops.knowledge.article.delete': [KbNumberParam, Empty];
    /** Customer: the announcements for the caller within their time window (CASE-11). */
    'case-management.announcement.list': [Empty, AnnouncementView[]];
    /** Customer: close a banner for good; the announcement stays in the list. */
    'case-management.announcement.dismiss': [IdParam, Empty];
    'case-management.ops.announcement.list': [Empty, OpsAnnouncementView[]];
    'case-management.ops.announcement.create': [AnnouncementDto, OpsAnnouncementView];
    'case-management.ops.announcement.update': [UpdateAnnouncementRequest, OpsAnnouncementView];
    'case-management.ops.announcement.delete': [IdParam, Empty];
    /** Operator: a tenant's links to its services' other portals, replaced as a whole. */
    'case-management.ops.portal_links.get': [TenantRequest, PortalLinkView[]];
    'case-management.ops.portal_links.set': [PortalLinksRequest, PortalLinkView[]];
    /**
     * Files of articles (CASE-10), streamed by the gateway to the attachments' store between `begin`
     * (the article exists; which key?) and `commit` (the record and its audit fact in one transaction).
     */
    'case-management.ops.knowledge.file.begin': [KbUploadBeginRequest, AttachmentTicket];
    'case-management.ops.knowledge.file.commit': [KbUploadCommitRequest, KnowledgeFileView];
    /** Customer: a file of an article the tenant sees; records the download. Another base's: not found. */
    'case-management.knowledge.file.open': [KbAttachmentParam, AttachmentDownload];
    'case-management.ops.knowledge.file.open': [KbAttachmentParam, AttachmentDownload];
    /**
     * Internal (no HTTP route): a page of the members of the named tenants (or of every tenant with
     * `all`), each user once, in user id order, with the addresses mail about their tenant goes to
     * (AUTH-7), in their language. Disabled logins are left out.
     */
    'auth.directory.members': [DirectoryMembersRequest, DirectoryMembersPage];
    /** Customer: what the portal's home page shows (CASE-11). */
    'case-management.home': [Empty, HomeView];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const KNOWLEDGE_RPC_CLASSES = {
  'case-management.knowledge.search': KnowledgeSearchQueryDto,
  'case-management.knowledge.get': KbNumberParam,
  'case-management.ops.knowledge.base.create': CreateKnowledgeBaseDto,
  'case-management.ops.knowledge.category.create': CreateKnowledgeCategoryDto,
  'case-management.ops.knowledge.search': KnowledgeSearchQueryDto,
  'case-management.ops.knowledge.get': KbNumberParam,
  'case-management.ops.knowledge.article.create': KnowledgeArticleDto,
  'case-management.ops.knowledge.article.update': UpdateKnowledgeArticleRequest,
  'case-management.ops.knowledge.article.delete': KbNumberParam,
  'case-management.ops.knowledge.file.begin': KbUploadBeginRequest,
  'case-management.ops.knowledge.file.commit': KbUploadCommitRequest,
  'case-management.knowledge.file.open': KbAttachmentParam,
  'case-management.ops.knowledge.file.open': KbAttachmentParam,
  'auth.directory.members': DirectoryMembersRequest,
  'case-management.announcement.dismiss': IdParam,
  'case-management.ops.announcement.create': AnnouncementDto,
  'case-management.ops.announcement.update': UpdateAnnouncementRequest,
  'case-management.ops.announcement.delete': IdParam,
  'case-management.ops.portal_links.get': TenantRequest,
  'case-management.ops.portal_links.set': PortalLinksRequest,
  'case-management.knowledge.bases': EmptyRequest,
  'case-management.ops.knowledge.bases': EmptyRequest,
  'case-management.announcement.list': EmptyRequest,
  'case-management.ops.announcement.list': EmptyRequest,
  'case-management.home': EmptyRequest,
} satisfies AreaRequestClasses;
