import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiResponse } from '@nestjs/swagger';

export const CASE_NUMBER_PARAM = { name: 'number', description: 'Case number, e.g. CS0000001' };
export const ATTACHMENT_ID_PARAM = { name: 'id', description: 'Attachment id (uuid)' };

/** The OpenAPI description of an upload route: multipart with one binary `file`. */
export function ApiAttachmentUpload(who: string): MethodDecorator {
  return applyDecorators(
    ApiParam(CASE_NUMBER_PARAM),
    ApiOperation({
      summary: `Attach a file to a case (CASE-6, ${who})`,
      description:
        'multipart/form-data with one part `file`, streamed to storage as it arrives. The type is sniffed ' +
        'from the bytes and checked against ATTACHMENT_TYPES_ALLOWED/DENIED (`415 attachment_type_refused`); ' +
        'past ATTACHMENT_MAX_BYTES (2 GiB) the upload is cut off with `413 attachment_too_large` and nothing ' +
        'is kept. The file name is cleaned (last path segment, no control characters). A closed case: ' +
        '`409 case_closed`.',
    }),
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', format: 'binary' } },
      },
    }),
    ApiResponse({ status: 201, description: '`{id, name, size, sha256, contentType}`' }),
  );
}

/** The OpenAPI description of a download route. */
export function ApiAttachmentDownload(): MethodDecorator {
  return applyDecorators(
    ApiParam(CASE_NUMBER_PARAM),
    ApiParam(ATTACHMENT_ID_PARAM),
    ApiOperation({
      summary: 'Download an attachment (CASE-6)',
      description:
        'Streamed with `Content-Disposition: attachment` (the name also as RFC 5987 `filename*`), ' +
        '`X-Content-Type-Options: nosniff` and `ETag` = the quoted SHA-256. `If-None-Match` answers `304`; ' +
        'one `Range` (with `If-Range`) answers `206`, a range past the end `416 range_not_satisfiable`.',
    }),
    ApiProduces('application/octet-stream'),
    ApiResponse({ status: 200, description: 'The file' }),
    ApiResponse({ status: 206, description: 'The requested range of the file' }),
    ApiResponse({ status: 304, description: 'Unchanged (If-None-Match)' }),
  );
}
