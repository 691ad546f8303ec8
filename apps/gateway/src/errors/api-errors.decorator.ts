import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ERROR_CATALOG, ErrorCode } from '@app/contracts';
import { ApiErrorEnvelopeDto } from './api-error-envelope.dto';

/** Documents the error codes a route may answer, grouped by their HTTP status from ERROR_CATALOG. */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const all = [ErrorCode.ValidationFailed, ErrorCode.RateLimited, ErrorCode.ServiceUnavailable, ...codes];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(all)) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, list]) =>
      ApiResponse({ status, description: list.map((c) => `\`${c}\``).join(', '), type: ApiErrorEnvelopeDto }),
    ),
  );
}
