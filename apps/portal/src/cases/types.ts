// The shapes of API.md's Cases, Work requests, Knowledge, Announcements and Service settings sections
// the customer's screens read. Only fields a screen uses are listed.

export const CASE_STATUSES = ['new', 'in_progress', 'awaiting_customer', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type CaseAction = 'comment' | 'attach' | 'close' | 'approve' | 'reject';
export const CASE_VIEWS = ['all', 'action_required', 'alerts'] as const;
export type CaseView = (typeof CASE_VIEWS)[number];

export interface CasePerson {
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
  requester: CasePerson | null;
  watchers: CasePerson[];
  status: CaseStatus;
  statusLabel?: string;
  createdAt: string;
  updatedAt: string;
  availableActions: CaseAction[];
  statusMessage: string;
}

export interface CaseActivity {
  id: string;
  kind: 'comment' | 'system';
  author: { id: string; name: string; role: 'customer' | 'operator' | 'integration' } | null;
  body?: string;
  event?: string;
  data?: Record<string, unknown>;
  at: string;
}

export interface Attachment {
  id: string;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  uploadedAt?: string;
  uploadedBy?: CasePerson | null;
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

export interface SavedFilter {
  id: string;
  name: string;
  visibility: 'private' | 'tenant';
  owner: CasePerson;
  view: CaseView;
  q: string | null;
  filter: string | null;
  sort: string | null;
}

/** A row of `GET /service-settings`: one contracted service. */
export interface ServiceSetting {
  id: string;
  contractor: string;
  customerNumber: string;
  /** The service's name in the reader's language. */
  service: string;
  serviceCode: string;
  startDate: string;
}

export interface ServiceSettingDetail extends ServiceSetting {
  licenceType: string | null;
  idCount: number | null;
  settings: { key: string; label: string; value: unknown }[];
}
