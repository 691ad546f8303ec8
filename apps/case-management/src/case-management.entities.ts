import { DataSourceOptions } from 'typeorm';
import { CaseActivity } from './activity/case-activity.entity';
import { CaseAttachment } from './attachments/case-attachment.entity';
import { CaseRecord } from './cases/case-record.entity';
import { CaseWatcher } from './cases/case-watcher.entity';
import { Category } from './categories/category.entity';
import { Contract } from './contracts/contract.entity';
import { ServiceDefinition } from './contracts/service-definition.entity';
import { CreateCaseManagementSchema1763856000000 } from './migrations/1763856000000-CreateCaseManagementSchema';
import { CreateCasesAndContracts1764633600000 } from './migrations/1764633600000-CreateCasesAndContracts';
import { ActivityWriteOrder1764633600001 } from './migrations/1764633600001-ActivityWriteOrder';
import { CaseKeywordSearch1764633600002 } from './migrations/1764633600002-CaseKeywordSearch';
import { SavedCaseFilters1764633600003 } from './migrations/1764633600003-SavedCaseFilters';
import { OutboxParking1764720000000 } from './migrations/1764720000000-OutboxParking';
import { CreateIntegrations1796260009767 } from './migrations/1796260009767-CreateIntegrations';
import { CreateCaseAttachments1796260144597 } from './migrations/1796260144597-CreateCaseAttachments';
import { CreateKnowledgeAndAnnouncements1796260017747 } from './migrations/1796260017747-CreateKnowledgeAndAnnouncements';
import { CreateWorkRequests1796270000000 } from './migrations/1796270000000-CreateWorkRequests';
import { WorkRequest } from './work-requests/work-request.entity';
import { WorkRequestItem } from './work-requests/work-request-item.entity';
import { KnowledgeFilesAndAnnouncementMail1796300000000 } from './migrations/1796300000000-KnowledgeFilesAndAnnouncementMail';

export const CASE_MANAGEMENT_SCHEMA = 'case_management';

export const CASE_MANAGEMENT_ENTITIES: NonNullable<DataSourceOptions['entities']> = [
  ServiceDefinition,
  Contract,
  Category,
  CaseRecord,
  CaseWatcher,
  CaseActivity,
  CaseAttachment,
  WorkRequestItem,
  WorkRequest,
];

/** In order; a new migration is appended here. */
export const CASE_MANAGEMENT_MIGRATIONS = [
  CreateCaseManagementSchema1763856000000,
  CreateCasesAndContracts1764633600000,
  ActivityWriteOrder1764633600001,
  CaseKeywordSearch1764633600002,
  SavedCaseFilters1764633600003,
  OutboxParking1764720000000,
  CreateIntegrations1796260009767,
  CreateCaseAttachments1796260144597,
  CreateKnowledgeAndAnnouncements1796260017747,
  CreateWorkRequests1796270000000,
  KnowledgeFilesAndAnnouncementMail1796300000000,
];
