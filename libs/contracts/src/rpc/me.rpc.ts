import {
  ChangePasswordDto,
  MeSecurityView,
  MeView,
  MfaResetRequest,
  PhoneLineCancelledRequest,
  UpdateProfileDto,
} from '../dto/me.dto';
import { AreaRequestClasses, EmptyRequest } from './rpc-request-class';

type Empty = Record<string, never>;

/*
 * Subjects of this area, merged into RpcMap (one file per area, so areas never edit each other's
 * lines). Add entries as `'auth.x.y': [Request, Response];`.
 */
declare module './rpc-map' {
  interface RpcMap {
    /** The caller's own account (AUTH-20). */
    'auth.me.get': [Empty, MeView];
    /** Change the caller's profile; e-mail and phone need step-up (AUTH-20, AUTH-12, AUTH-19). */
    'auth.me.update': [UpdateProfileDto, MeView];
    /** Change the caller's password; step-up, lockout, policy (AUTH-17). */
    'auth.me.password.change': [ChangePasswordDto, Empty];
    /** The state of the caller's sign-in methods. */
    'auth.me.security': [Empty, MeSecurityView];
    /** Operator: reset a user's MFA after an identity check (AUTH-19). */
    'auth.ops.user.mfa_reset': [MfaResetRequest, Empty];
    /** Operator: the carrier ended a user's phone line; SMS codes are switched off (AUTH-19). */
    'auth.ops.user.phone_line_cancelled': [PhoneLineCancelledRequest, Empty];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const ME_RPC_CLASSES = {
  'auth.me.update': UpdateProfileDto,
  'auth.me.password.change': ChangePasswordDto,
  'auth.ops.user.mfa_reset': MfaResetRequest,
  'auth.ops.user.phone_line_cancelled': PhoneLineCancelledRequest,
  'auth.me.get': EmptyRequest,
  'auth.me.security': EmptyRequest,
} satisfies AreaRequestClasses;
