import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiParam,
  ApiParamOptions,
  ApiProduces,
  ApiResponse,
} from '@nestjs/swagger';

export const CASE_NUMBER_PARAM = { name: 'number', description: 'Case number, e.g. CS0000001' };
export const ATTACHMENT_ID_PARAM = { name: 'id', description: 'Attachment id (uuid)' };
export const WORK_REQUEST_ID_PARAM = { name: 'requestId', description: 'Work request id (uuid)' };

/**
 * The OpenAPI description of a streamed upload (cases, work requests, knowledge articles): multipart
 * with one binary `file`, answered with `status` and `answer`.
 */
export function ApiFileUpload(
  params: ApiParamOptions[],
  operation: { summary: string; description: string },
  status: number,
  answer: string,
): MethodDecorator {
  return applyDecorators(
    ...params.map((param) => ApiParam(param)),
    ApiOperation(operation),
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', format: 'binary' } },
      },
    }),
    ApiResponse({ status, description: answer }),
  );
}

/** The OpenAPI description of a streamed download (cases, work requests, knowledge articles). */
export function ApiFileDownload(
  params: ApiParamOptions[],
  operation: { summary: string; description: string },
): MethodDecorator {
  return applyDecorators(
    ...params.map((param) => ApiParam(param)),
    ApiOperation(operation),
    ApiProduces('application/octet-stream'),
    ApiResponse({ status: 200, description: 'The file' }),
    ApiResponse({ status: 206, description: 'The requested range of the file' }),
    ApiResponse({ status: 304, description: 'Unchanged (If-None-Match)' }),
  );
}

/** The OpenAPI description of a case's upload route. */
export function ApiAttachmentUpload(who: string): MethodDecorator {
  return ApiFileUpload(
    [CASE_NUMBER_PARAM],
    {
      summary: `Attach a file to a case (CASE-6, ${who})`,
      description:
        'multipart/form-data with one part `file`, streamed to storage as it arrives. The type is sniffed ' +
        'from the bytes and checked against ATTACHMENT_TYPES_ALLOWED/DENIED (`415 attachment_type_refused`); ' +
        'past ATTACHMENT_MAX_BYTES (2 GiB) the upload is cut off with `413 attachment_too_large` and nothing ' +
        'is kept. The file name is cleaned (last path segment, no control characters). A closed case: ' +
        '`409 case_closed`.',
    },
    201,
    '`{id, name, size, sha256, contentType}`',
  );
}

/** The OpenAPI description of a case's download route. */
export function ApiAttachmentDownload(): MethodDecorator {
  return ApiFileDownload([CASE_NUMBER_PARAM, ATTACHMENT_ID_PARAM], {
    summary: 'Download an attachment (CASE-6)',
    description:
      'Streamed with `Content-Disposition: attachment` (the name also as RFC 5987 `filename*`), ' +
      '`X-Content-Type-Options: nosniff` and `ETag` = the quoted SHA-256. `If-None-Match` answers `304`; ' +
      'one `Range` (with `If-Range`) answers `206`, a range past the end `416 range_not_satisfiable`.',
  });
}
