import { ChallengeMethod, VerifyMethod } from './auth.dto';
import { Language } from './language';

export type Role = 'operator' | 'admin' | 'user';

export interface TenantMembershipView {
  number: string;
  name: string;
  role: 'admin' | 'user';
}

export interface AuthenticatedResult {
  status: 'authenticated';
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tenants: TenantMembershipView[];
  /** Null when the user is in several tenants and must pick one (AUTH-18). */
  activeTenant: string | null;
  deviceToken?: string;
}

export interface MethodOption {
  type: VerifyMethod;
  /** Masked destination, e.g. `+81******5678` or `a***@example.com`. */
  destination?: string;
  default?: boolean;
}

export interface SecondFactorRequiredResult {
  status: 'second_factor_required';
  flowId: string;
  expiresAt: string;
  methods: MethodOption[];
  reasons?: string[];
}

export interface InitialPasswordRequiredResult {
  status: 'initial_password_required';
  flowId: string;
}

export type LoginResult = AuthenticatedResult | SecondFactorRequiredResult | InitialPasswordRequiredResult;

export interface ChallengeResult {
  method: ChallengeMethod;
  destination: string;
  expiresAt: string;
  /** Seconds until a resend is allowed. */
  resendAfter: number;
  sentAt?: string;
  matchNumber?: number;
}

export interface PasswordPolicyView {
  minLength: number;
  maxLength: number;
  symbols: string;
  rules: string[];
}

export interface PasswordResetInspection {
  userId: string;
  locked: boolean;
}

export interface TenantView {
  number: string;
  name: string;
  createdAt: string;
}

export interface UserView {
  id: string;
  userId: string;
  email: string;
  familyName: string;
  givenName: string | null;
  phone: string | null;
  language: Language;
  timezone: string;
  admin: boolean;
  mfaRequired: boolean;
  loginDisabled: boolean;
  locked: boolean;
  createdAt: string;
}

export interface ServiceHealth {
  service: string;
  status: 'up' | 'down';
  checks: Record<string, 'up' | 'down'>;
}

export interface DevOutboxMessage {
  messageId: string;
  channel: 'sms' | 'email';
  to: string[];
  subject?: string;
  body: string;
  createdAt: string;
}
