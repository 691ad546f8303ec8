import { ApiProperty } from '@nestjs/swagger';
import { ApiErrorDto } from './api-error.dto';

/** OpenAPI description of every error answer: `{"error": {…}}`. */
export class ApiErrorEnvelopeDto {
  @ApiProperty({ type: ApiErrorDto })
  error!: ApiErrorDto;
}
