// The shapes of API.md the portal reads. Only fields a screen uses are listed.

export type SecondFactor = 'sms' | 'email' | 'totp' | 'push';

export interface TenantMembership {
  number: string;
  name: string;
  role: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
  tenants?: TenantMembership[];
  activeTenant?: string | null;
}

export interface Authenticated extends Tokens {
  status: 'authenticated';
  tenants: TenantMembership[];
  activeTenant: string | null;
  deviceToken?: string;
}

export interface MethodOption {
  type: SecondFactor;
  destination?: string;
  default?: boolean;
}

export interface SecondFactorRequired {
  status: 'second_factor_required';
  flowId: string;
  expiresAt: string;
  methods: MethodOption[];
  reasons?: string[];
}

export interface InitialPasswordRequired {
  status: 'initial_password_required';
  flowId: string;
}

export type LoginResult = Authenticated | SecondFactorRequired;
export type VerifyResult = Authenticated | InitialPasswordRequired;

export interface Challenge {
  method: SecondFactor;
  destination: string;
  expiresAt: string;
  /** Seconds until a new code may be asked for. */
  resendAfter: number;
  sentAt?: string;
}

export interface PasswordPolicyView {
  minLength: number;
  maxLength: number;
  symbols: string;
  rules: string[];
}

export interface Me {
  id: string;
  userId: string;
  familyName: string;
  givenName: string | null;
  displayName: string | null;
  email: string;
  phone: string | null;
  language: 'ja' | 'en';
  timezone: string;
  tenants: TenantMembership[];
  activeTenant: string | null;
}

export interface LoginHistoryEntry {
  id: string;
  occurredAt: string;
  /** The user's login ID now (the tenant's history, AUTH-22). */
  loginId?: string | null;
  event: string;
  method: string | null;
  result: string;
  reasons: string[];
  ip: string | null;
  userAgent: string | null;
}

export interface LoginHistoryPage {
  items: LoginHistoryEntry[];
  total: number;
  page: number;
  pageSize: number;
}
