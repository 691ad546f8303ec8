import { ErrorCode } from '@app/contracts';

/** The one error envelope of API.md "Errors". */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: Record<string, unknown>;
    requestId: string;
  };
}

/** Validation problems per field, as `details.fields` carries them. */
export type FieldErrors = Record<string, string[]>;
