import { IsUUID } from 'class-validator';
import { IdParam } from '../dto/cases.dto';
import {
  OpsWorkRequestItemView,
  OpsWorkRequestQueryDto,
  OpsWorkRequestView,
  RejectWorkRequestRequest,
  SubmitWorkRequestDto,
  UpdateWorkRequestItemRequest,
  WorkRequestAcceptedView,
  WorkRequestItemDto,
  WorkRequestItemView,
  WorkRequestView,
} from '../dto/work-requests.dto';
import { AttachmentDownload, AttachmentTicket, AttachmentView, UploadedFileFacts } from './attachments.rpc';
import { AreaRequestClasses, EmptyRequest } from './rpc-request-class';

type Empty = Record<string, never>;

/** A work request's upload is stored: its record is committed (CASE-7). */
export class WorkRequestAttachmentCommitRequest extends UploadedFileFacts {
  /** The work request. */
  @IsUUID()
  requestId!: string;

  /** The attachment, as `begin` named it. */
  @IsUUID()
  id!: string;
}

/** A file of a work request to download: the request and the attachment. */
export class WorkRequestAttachmentOpenRequest {
  @IsUUID()
  requestId!: string;

  @IsUUID()
  id!: string;
}

/*
 * Work requests (CASE-7) of the case management service, merged into RpcMap. Customer subjects act on
 * the active tenant of `ctx.principal`; `ops` subjects are the operators'. Attachments move as case
 * attachments do: the gateway streams the bytes to the AttachmentStore between `begin` and `commit`.
 */
declare module './rpc-map' {
  interface RpcMap {
    /** Customer: the active items of the services the tenant contracts, in the reader's language. */
    'case-management.work_request_item.list': [Empty, WorkRequestItemView[]];
    /** Customer: submit a request; its fields are checked against the item's form. */
    'case-management.work_request.submit': [SubmitWorkRequestDto, WorkRequestView];
    /** Customer: the tenant's requests, newest first. */
    'case-management.work_request.list': [Empty, WorkRequestView[]];
    'case-management.work_request.attachment.begin': [IdParam, AttachmentTicket];
    'case-management.work_request.attachment.commit': [WorkRequestAttachmentCommitRequest, AttachmentView];
    /**
     * Customer (their tenant's requests) or operator (every request): authorises a download of a
     * request's file and records it; answers where the bytes are.
     */
    'case-management.work_request.attachment.open': [WorkRequestAttachmentOpenRequest, AttachmentDownload];
    'case-management.ops.work_request_item.list': [Empty, OpsWorkRequestItemView[]];
    'case-management.ops.work_request_item.create': [WorkRequestItemDto, OpsWorkRequestItemView];
    'case-management.ops.work_request_item.update': [UpdateWorkRequestItemRequest, OpsWorkRequestItemView];
    /** Operator: every tenant's requests, oldest submitted first, optionally of one status. */
    'case-management.ops.work_request.list': [OpsWorkRequestQueryDto, OpsWorkRequestView[]];
    /** Operator: accept; opens the work request case in the same transaction. */
    'case-management.ops.work_request.accept': [IdParam, WorkRequestAcceptedView];
    'case-management.ops.work_request.reject': [RejectWorkRequestRequest, OpsWorkRequestView];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const WORK_REQUESTS_RPC_CLASSES = {
  'case-management.work_request.submit': SubmitWorkRequestDto,
  'case-management.work_request.attachment.begin': IdParam,
  'case-management.work_request.attachment.commit': WorkRequestAttachmentCommitRequest,
  'case-management.work_request.attachment.open': WorkRequestAttachmentOpenRequest,
  'case-management.ops.work_request_item.create': WorkRequestItemDto,
  'case-management.ops.work_request_item.update': UpdateWorkRequestItemRequest,
  'case-management.ops.work_request.list': OpsWorkRequestQueryDto,
  'case-management.ops.work_request.accept': IdParam,
  'case-management.ops.work_request.reject': RejectWorkRequestRequest,
  'case-management.work_request_item.list': EmptyRequest,
  'case-management.work_request.list': EmptyRequest,
  'case-management.ops.work_request_item.list': EmptyRequest,
} satisfies AreaRequestClasses;
