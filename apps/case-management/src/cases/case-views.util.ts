import {
  CaseActivityView,
  CaseAttachmentView,
  CaseDetailView,
  CaseSummaryView,
  Language,
} from '@app/contracts';
import { CaseActivity } from '../activity/case-activity.entity';
import { CaseRecord } from './case-record.entity';
import { CaseWatcher } from './case-watcher.entity';
import { availableActions, statusLabel, statusMessage } from './case-status';

/** Who reads a case, which decides its actions, message and labels. */
export interface CaseReader {
  role: 'customer' | 'operator';
  language: Language;
  provider: string;
}

export function caseSummaryView(c: CaseRecord, watchers: CaseWatcher[], reader: CaseReader): CaseSummaryView {
  return {
    number: c.number,
    tenant: c.tenantNumber,
    contractor: c.contractor,
    service: c.serviceCode,
    category: c.categoryCode,
    subject: c.subject,
    description: c.description,
    requester: c.requesterId ? { id: c.requesterId, name: c.requesterName ?? '' } : null,
    watchers: watchers.map((w) => ({ id: w.userId, name: w.name })),
    status: c.status,
    statusLabel: statusLabel(c.status, reader.language, reader.provider),
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
    availableActions: availableActions(c.status, reader.role),
    statusMessage: statusMessage(c.status, reader.role),
  };
}

export function activityView(a: CaseActivity): CaseActivityView {
  return {
    id: a.id,
    kind: a.kind,
    author:
      a.authorId && a.authorRole ? { id: a.authorId, name: a.authorName ?? '', role: a.authorRole } : null,
    ...(a.body !== null ? { body: a.body } : {}),
    ...(a.event !== null ? { event: a.event } : {}),
    ...(a.data !== null ? { data: a.data } : {}),
    at: new Date(a.at).toISOString(),
  };
}

export function caseDetailView(
  c: CaseRecord,
  watchers: CaseWatcher[],
  activity: CaseActivity[],
  attachments: CaseAttachmentView[],
  reader: CaseReader,
): CaseDetailView {
  return { ...caseSummaryView(c, watchers, reader), activity: activity.map(activityView), attachments };
}
