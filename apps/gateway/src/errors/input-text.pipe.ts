import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode, malformedText, unexpectedNulls } from '@app/contracts';

/**
 * Runs before the validation pipe on every body, query and path parameter: the one text rule of
 * `malformedText` (well-formed Unicode, no control characters; line breaks only in fields marked multi-line) and no
 * null where the DTO does not document one. Such input is `400 validation_failed`, never something a
 * validator, a template or PostgreSQL meets further on.
 */
@Injectable()
export class InputTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') {
      return value;
    }
    const field = metadata.type === 'param' ? (metadata.data ?? '') : '';
    const problems = {
      ...malformedText(value, metadata.type === 'body' ? metadata.metatype : undefined, field),
      ...(metadata.type === 'body' ? unexpectedNulls(value, metadata.metatype) : {}),
    };
    if (Object.keys(problems).length > 0) {
      throw new DomainError(ErrorCode.ValidationFailed, { fields: problems });
    }
    return value;
  }
}
