import {
  AnnouncementDto,
  AnnouncementView,
  HomeView,
  OpsAnnouncementView,
  PortalLinksRequest,
  PortalLinkView,
  UpdateAnnouncementRequest,
} from '../dto/announcements.dto';
import { IsIn, IsInt, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';
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
import { RpcSubject } from './rpc-map';
import { TenantRequest } from './cases.rpc';

type Empty = Record<string, never>;

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
    /** Customer: what the portal's home page shows (CASE-11). */
    'case-management.home': [Empty, HomeView];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const KNOWLEDGE_RPC_CLASSES: Partial<Record<RpcSubject, new () => object>> = {
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
  'case-management.announcement.dismiss': IdParam,
  'case-management.ops.announcement.create': AnnouncementDto,
  'case-management.ops.announcement.update': UpdateAnnouncementRequest,
  'case-management.ops.announcement.delete': IdParam,
  'case-management.ops.portal_links.get': TenantRequest,
  'case-management.ops.portal_links.set': PortalLinksRequest,
};
