import { IsInt, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { CASE_NUMBER_PATTERN } from '../dto/cases.dto';
import { AreaRequestClasses } from './rpc-request-class';

/** The longest attachment name kept, in characters (longer names are cut, keeping the extension). */
export const MAX_ATTACHMENT_NAME = 200;
/** A media type as the gateway sniffed it (`type/subtype`). */
export const MEDIA_TYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export class AttachmentBeginRequest {
  @IsString()
  @Matches(CASE_NUMBER_PATTERN)
  number!: string;
}

/** Where an upload's bytes go: the attachment's id and the store key made from ids. */
export interface AttachmentTicket {
  id: string;
  key: string;
}

/**
 * What the gateway measured while the bytes streamed to the store; every kind of attachment
 * (a case's, a work request's) commits these.
 */
export class UploadedFileFacts {
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

/** A case attachment's upload is stored: its record is committed. */
export class AttachmentCommitRequest extends UploadedFileFacts {
  @IsString()
  @Matches(CASE_NUMBER_PATTERN)
  number!: string;

  @IsUUID()
  id!: string;
}

export class AttachmentOpenRequest {
  @IsString()
  @Matches(CASE_NUMBER_PATTERN)
  number!: string;

  @IsUUID()
  id!: string;
}

/** API.md: `201 {id, name, size, sha256, contentType}`. */
export interface AttachmentView {
  id: string;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
}

/** An attachment the caller may download, with the store key its bytes are under. */
export interface AttachmentDownload extends AttachmentView {
  key: string;
}

/*
 * Attachments of cases (CASE-6). The bytes never cross NATS: the gateway streams them to the
 * AttachmentStore between `begin` (may this caller attach to this case? which key?) and `commit`
 * (the record, its activity entry and audit fact, in one transaction). Customers act on their active
 * tenant's cases, operators on every tenant's, as `ctx.principal` says.
 */
declare module './rpc-map' {
  interface RpcMap {
    'case-management.attachment.begin': [AttachmentBeginRequest, AttachmentTicket];
    'case-management.attachment.commit': [AttachmentCommitRequest, AttachmentView];
    /** Authorises a download and records it (an audit fact); answers where the bytes are. */
    'case-management.attachment.open': [AttachmentOpenRequest, AttachmentDownload];
  }
}

export const ATTACHMENTS_RPC_CLASSES = {
  'case-management.attachment.begin': AttachmentBeginRequest,
  'case-management.attachment.commit': AttachmentCommitRequest,
  'case-management.attachment.open': AttachmentOpenRequest,
} satisfies AreaRequestClasses;
