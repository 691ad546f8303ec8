import {
  ApprovalOutcomeView,
  ApprovalRequestView,
  ApproverDecisionRequest,
  ApproverIdParam,
  ApproverRegisteredView,
  ApproverTokenRequest,
  ApproverView,
  LoginApprovalStatusView,
  RegisterApproverDto,
  TotpConfirmDto,
  TotpEnrolmentView,
} from '../dto/mfa-methods.dto';
import { AreaRequestClasses, EmptyRequest, FlowIdRequest } from './rpc-request-class';

type Empty = Record<string, never>;

/*
 * Subjects of this area, merged into RpcMap (one file per area, so areas never edit each other's
 * lines). Add entries as `'auth.x.y': [Request, Response];`.
 */
declare module './rpc-map' {
  interface RpcMap {
    /** Start (or restart) enrolling an authenticator app; step-up (AUTH-8, AUTH-12). */
    'auth.me.totp.enrol': [Empty, TotpEnrolmentView];
    /** Enable the enrolled authenticator app with one valid code (AUTH-8). */
    'auth.me.totp.confirm': [TotpConfirmDto, Empty];
    /** Remove the authenticator app; step-up (AUTH-8, AUTH-12). */
    'auth.me.totp.disable': [Empty, Empty];
    /** Register a phone app as approver; step-up (AUTH-13). */
    'auth.me.approver.register': [RegisterApproverDto, ApproverRegisteredView];
    'auth.me.approver.list': [Empty, ApproverView[]];
    /** Revoke an approver app; step-up (AUTH-13). */
    'auth.me.approver.remove': [ApproverIdParam, Empty];
    /** The approver app: pending approval requests of its user. */
    'auth.approver.requests.list': [ApproverTokenRequest, ApprovalRequestView[]];
    /** The approver app: approve (with the matching number) or deny. */
    'auth.approver.requests.decide': [ApproverDecisionRequest, ApprovalOutcomeView];
    /** State of a flow's latest approval request, for the waiting login screen. */
    'auth.login.status': [FlowIdRequest, LoginApprovalStatusView];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const MFA_METHODS_RPC_CLASSES = {
  'auth.me.totp.confirm': TotpConfirmDto,
  'auth.me.approver.register': RegisterApproverDto,
  'auth.me.approver.remove': ApproverIdParam,
  'auth.approver.requests.list': ApproverTokenRequest,
  'auth.approver.requests.decide': ApproverDecisionRequest,
  'auth.me.totp.enrol': EmptyRequest,
  'auth.me.totp.disable': EmptyRequest,
  'auth.me.approver.list': EmptyRequest,
  'auth.login.status': FlowIdRequest,
} satisfies AreaRequestClasses;
