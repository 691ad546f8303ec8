/**
 * Every error code a client can see (API.md "Errors"). Services throw `DomainError` with one of these;
 * the gateway maps it to an HTTP status and a message in the user's language in one place.
 */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  PayloadTooLarge = 'payload_too_large',
  NotFound = 'not_found',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  RateLimited = 'rate_limited',
  ServiceUnavailable = 'service_unavailable',
  InternalError = 'internal_error',
  InvalidCredentials = 'invalid_credentials',
  AccountLocked = 'account_locked',
  LoginDisabled = 'login_disabled',
  ResendTooSoon = 'resend_too_soon',
  SmsUnavailable = 'sms_unavailable',
  EmailUnavailable = 'email_unavailable',
  FlowExpired = 'flow_expired',
  InvalidCode = 'invalid_code',
  CodeExpired = 'code_expired',
  MethodNotAvailable = 'method_not_available',
  TenantSelectionRequired = 'tenant_selection_required',
  RefreshTokenReused = 'refresh_token_reused',
  RefreshTokenInvalid = 'refresh_token_invalid',
  SessionEnded = 'session_ended',
  StepUpRequired = 'step_up_required',
  PasswordPolicy = 'password_policy',
  ResetTokenInvalid = 'reset_token_invalid',
  UserIdTaken = 'user_id_taken',
  TenantExists = 'tenant_exists',
  InitialPasswordRequired = 'initial_password_required',
  OpenInquiryExists = 'open_inquiry_exists',
  InvalidTransition = 'invalid_transition',
  QueryTooShort = 'query_too_short',
  /** The risk check refused the login outright (AUTH-11). */
  LoginDenied = 'login_denied',
  /** A passkey assertion or attestation did not verify (AUTH-10). */
  PasskeyInvalid = 'passkey_invalid',
  /** App approval still waiting for the phone (AUTH-13). */
  ApprovalPending = 'approval_pending',
  /** The phone app denied the approval request (AUTH-13). */
  ApprovalDenied = 'approval_denied',
  /** A state change that conflicts with the current state (e.g. TOTP already enabled). */
  Conflict = 'conflict',
  /** An operator's identity check before an MFA reset did not match (AUTH-19). */
  IdentityCheckFailed = 'identity_check_failed',
  /**
   * A tenant admin tried to change an account-wide field (login ID, e-mail, phone, MFA, disabled
   * login) of a user who also belongs to a tenant where the caller is not admin.
   */
  AccountShared = 'account_shared',
  /** A send cap per recipient or per account was reached (NOTIF-7); nothing was sent. */
  TooManyMessages = 'too_many_messages',
  /** The tenant has no contract for the service (CASE-1). */
  ServiceNotContracted = 'service_not_contracted',
  /** Customers open cases only in customer-selectable categories (CASE-3). */
  CategoryNotSelectable = 'category_not_selectable',
  /** A closed case takes no comments or attachments (CASE-5). */
  CaseClosed = 'case_closed',
  /** An attachment over ATTACHMENT_MAX_BYTES (CASE-6). */
  AttachmentTooLarge = 'attachment_too_large',
  /** An attachment whose sniffed type the allow/deny list refuses (CASE-6). */
  AttachmentTypeRefused = 'attachment_type_refused',
  /** A download's `Range` starts past the attachment's end (CASE-6). */
  RangeNotSatisfiable = 'range_not_satisfiable',
  /** A file added to a work request that was already accepted or rejected (CASE-7). */
  WorkRequestDecided = 'work_request_decided',
}
