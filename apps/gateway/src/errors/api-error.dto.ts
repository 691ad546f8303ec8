import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';

/** OpenAPI description of the error envelope's inner object. */
export class ApiErrorDto {
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.ValidationFailed })
  code!: ErrorCode;

  @ApiProperty({
    description: "In the user's language (Accept-Language: ja or en)",
    example: 'The request is not valid.',
  })
  message!: string;

  @ApiPropertyOptional({
    description:
      'Code-specific facts: `fields` for validation_failed, `retryAfter` (seconds), `attemptsLeft`, `violations`, …',
    type: 'object',
    additionalProperties: true,
  })
  details?: Record<string, unknown>;

  @ApiProperty({
    description: 'The X-Request-Id of this request',
    example: '7d3f2a4e-0b1c-4d5e-8f90-123456789abc',
  })
  requestId!: string;
}
