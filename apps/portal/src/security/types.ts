// The shapes of API.md's security settings the portal reads (GET /me/security and its lists).
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';

export interface SecurityState {
  mfaEnabled: boolean;
  sms: { available: boolean };
  email: { address: string; undeliverable: boolean };
  totp: { enabled: boolean };
  /** How many passkeys are registered. */
  passkeys: number;
  /** How many browsers still skip the second step. */
  trustedBrowsers: number;
}

/** `POST /me/mfa/totp`: shown once, until confirmed with a code. */
export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  /** The otpauth URI as a QR code: a PNG data URL. */
  qrCode: string;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface PasskeyRegistrationOptions {
  options: PublicKeyCredentialCreationOptionsJSON;
  expiresAt: string;
}

export interface ApproverApp {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface TrustedBrowser {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  userAgent: string | null;
  ip: string | null;
  expiresAt: string;
}
