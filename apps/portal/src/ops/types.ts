// The operator API's shapes (API.md, "Operators"; NOTIF-5) as the operator screens read them.
import type { Attachment } from '../cases/types';

export interface LocalizedText {
  ja: string;
  en: string;
}

export interface Tenant {
  number: string;
  name: string;
  createdAt: string;
}

export interface CreatedUser {
  id: string;
  userId: string;
  email: string;
  familyName: string;
  givenName: string | null;
}

/** An admin of a tenant as `GET /ops/tenants/{number}/admins` lists them. */
export interface TenantAdmin extends CreatedUser {
  loginDisabled: boolean;
  locked: boolean;
}

export interface Service {
  code: string;
  name: LocalizedText;
}

export interface Contract {
  id: string;
  tenant: string;
  contractor: string;
  service: string;
  serviceName: LocalizedText;
  startDate: string;
  licenceType: string | null;
  idCount: number | null;
}

export const CASE_STATUSES = ['new', 'in_progress', 'awaiting_customer', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The statuses an operator may set (CASE-5). */
export const OPERATOR_STATUSES = ['in_progress', 'awaiting_customer', 'resolved', 'closed'] as const;
export type OperatorStatus = (typeof OPERATOR_STATUSES)[number];

export interface Person {
  id: string;
  name: string;
}

export interface CaseSummary {
  number: string;
  tenant: string;
  contractor: string;
  service: string;
  category: string;
  subject: string;
  description: string;
  requester: Person | null;
  status: CaseStatus;
  statusLabel: string;
  createdAt: string;
  updatedAt: string;
  availableActions: string[];
  statusMessage: string;
}

export interface CaseActivity {
  id: string;
  kind: 'comment' | 'system';
  author: { id: string; name: string; role: string } | null;
  body?: string;
  event?: string;
  data?: Record<string, unknown>;
  at: string;
}

export interface CaseDetail extends CaseSummary {
  activity: CaseActivity[];
  attachments: Attachment[];
}

export interface CaseList {
  items: CaseSummary[];
  total: number;
  totalIsExact: boolean;
  page: number;
  pageSize: number;
}

export const WORK_REQUEST_STATUSES = ['submitted', 'accepted', 'rejected'] as const;
export type WorkRequestStatus = (typeof WORK_REQUEST_STATUSES)[number];

export interface WorkRequest {
  id: string;
  item: { id: string; code: string; name: string };
  status: WorkRequestStatus;
  submittedAt: string;
  decidedAt?: string;
  reason?: string;
  caseNumber?: string;
  requester: Person;
  fields: { key: string; label: string; value: string | number }[];
  tenant: string;
  service: string;
}

export interface KnowledgeCategory {
  id: string;
  code: string;
  name: string;
}

export interface KnowledgeBase {
  id: string;
  name: string;
  service: string | null;
  articleCount: number;
  categories: KnowledgeCategory[];
}

export interface ArticleSummary {
  number: string;
  title: string;
  language: 'ja' | 'en';
  base: { id: string; name: string };
  category: { id: string; code: string; name: string };
  updatedAt: string;
}

export interface Article extends ArticleSummary {
  body: string;
  format: 'html' | 'document';
}

export interface ArticleSearch {
  items: ArticleSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Audience {
  all?: boolean;
  tenants?: string[];
  services?: string[];
}

export interface Announcement {
  id: string;
  title: string;
  body: string;
  article: string | null;
  banner: boolean;
  from: string;
  to: string;
  audience: { all: boolean; tenants: string[]; services: string[] };
  mailedAt: string | null;
}

export const MESSAGE_STATUSES = [
  'queued',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'expired',
  'suppressed',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface Message {
  id: string;
  type: string;
  channel: 'sms' | 'email';
  /** Masked by the API. */
  recipient: string;
  status: MessageStatus;
  history: { status: MessageStatus; at: string; detail?: string }[];
  providerMessageId?: string;
}

export interface MessageList {
  items: Message[];
  nextCursor?: string;
}
