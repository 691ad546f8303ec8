import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import { Answer, expectStatus } from '@app/testing';
import { AuthGateway } from '../auth-gateway';

/*
 * A software WebAuthn authenticator and the browser around it, built only on node:crypto, so the
 * tests exercise the server's verifier with answers made the way the WebAuthn spec says and not by
 * the verifier's own library. ES256 (P-256) keys, "none" attestation.
 *
 * CBOR: @simplewebauthn/server carries @levischuck/tiny-cbor, but only as its own dependency; a
 * stand-in authenticator that shared the verifier's encoder would hide a bug common to both, so the
 * few CBOR types an attestation needs are encoded here (RFC 8949, definite lengths only).
 */

type Cbor = number | string | Uint8Array | Cbor[] | Map<number | string, Cbor> | { [key: string]: Cbor };

function cborHead(major: number, length: number): Buffer {
  if (length < 24) {
    return Buffer.from([(major << 5) | length]);
  }
  if (length < 0x100) {
    return Buffer.from([(major << 5) | 24, length]);
  }
  if (length < 0x10000) {
    const head = Buffer.alloc(3);
    head[0] = (major << 5) | 25;
    head.writeUInt16BE(length, 1);
    return head;
  }
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

/** CBOR of unsigned and negative integers, byte and text strings, arrays and maps. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new Error('cbor: integers only');
    }
    return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  }
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    return Buffer.concat([cborHead(3, text.length), text]);
  }
  if (value instanceof Uint8Array) {
    return Buffer.concat([cborHead(2, value.length), value]);
  }
  if (Array.isArray(value)) {
    return Buffer.concat([cborHead(4, value.length), ...value.map(cbor)]);
  }
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([cborHead(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();
const b64url = (data: Buffer): string => data.toString('base64url');

/** Authenticator data flags (WebAuthn §6.1). */
export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
export const FLAG_AT = 0x40;

function uint32(value: number): Buffer {
  const buf = Buffer.alloc(4);
  buf.writeUInt32BE(value);
  return buf;
}

export interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
  excludeCredentials?: { id: string }[];
}

export interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

/** What the browser would report; each field can be bent to forge a bad answer. */
export interface CeremonyOverrides {
  origin?: string;
  type?: string;
  /** RP id whose hash goes into the authenticator data. */
  rpId?: string;
  flags?: number;
  /** Login: the signature counter to report (default: one more than the last). */
  counter?: number;
  /** Login: sign with this key instead of the credential's. */
  signWith?: KeyObject;
  /** Login: the user handle to report (default: the one stored at registration). */
  userHandle?: string | null;
  /** A challenge other than the options'. */
  challenge?: string;
}

export interface RegistrationCredential {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: 'platform';
}

export interface AuthenticationCredential {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: 'platform';
}

/**
 * One passkey on a software authenticator, with the origin of the page that uses it. `create`
 * answers registration options, `get` answers login options; the signature counter goes up by one
 * per `get` unless told otherwise (`counterStep: 0` behaves like synced passkeys, which report 0).
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private signCount: number;
  private userHandle?: string;

  constructor(
    readonly origin: string,
    private readonly options: { counterStep?: number; initialCounter?: number } = {},
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.signCount = options.initialCounter ?? 0;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** A key no registered passkey has: signs that fail verification. */
  static strangerKey(): KeyObject {
    return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  }

  /** `navigator.credentials.create()` for these options, as `PublicKeyCredential.toJSON()`. */
  create(options: CreationOptions, o: CeremonyOverrides = {}): RegistrationCredential {
    const rpId = o.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    this.userHandle = options.user.id;
    const jwk = this.publicKey.export({ format: 'jwk' });
    const coseKey = new Map<number, Cbor>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x as string, 'base64url')],
      [-3, Buffer.from(jwk.y as string, 'base64url')],
    ]);
    const credIdLength = Buffer.alloc(2);
    credIdLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([o.flags ?? FLAG_UP | FLAG_UV | FLAG_AT]),
      uint32(this.signCount),
      Buffer.alloc(16), // AAGUID: all zero, as with "none" attestation
      credIdLength,
      this.credentialId,
      cbor(coseKey),
    ]);
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, o);
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData });
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal', 'hybrid'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** `navigator.credentials.get()` for these options: a signed assertion. */
  get(options: RequestOptions, o: CeremonyOverrides = {}): AuthenticationCredential {
    const rpId = o.rpId ?? options.rpId ?? new URL(this.origin).hostname;
    const counter = o.counter ?? this.signCount + (this.options.counterStep ?? 1);
    this.signCount = counter;
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([o.flags ?? FLAG_UP | FLAG_UV]),
      uint32(counter),
    ]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, o);
    // ECDSA over authData ‖ SHA-256(clientDataJSON); node signs P-256 as DER, as authenticators do.
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      o.signWith ?? this.privateKey,
    );
    const userHandle = o.userHandle === undefined ? this.userHandle : (o.userHandle ?? undefined);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(userHandle === undefined ? {} : { userHandle }),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  private clientData(type: string, challenge: string, o: CeremonyOverrides): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: o.type ?? type,
        challenge: o.challenge ?? challenge,
        origin: o.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }
}

// ---- driving the gateway -----------------------------------------------------------------------

/** The relying party the passkey tests run the auth service as. */
export const RP_ID = 'mamori.test';
export const PORTAL_ORIGIN = 'https://portal.mamori.test';
export const ADMIN_ORIGIN = 'https://admin.mamori.test';
export const PASSKEY_CONFIG = {
  WEBAUTHN_RP_ID: RP_ID,
  WEBAUTHN_RP_NAME: 'Mamori (test)',
  WEBAUTHN_ORIGINS: `${PORTAL_ORIGIN}, ${ADMIN_ORIGIN}`,
};

/** Registration options for the caller (expects a fresh second step). */
export async function registrationOptions(platform: AuthGateway, token: string): Promise<CreationOptions> {
  const answer = await platform.api('POST', '/me/passkeys/options', { token });
  expectStatus(answer, 200);
  return answer.body.options as CreationOptions;
}

/** Options, authenticator, `POST /me/passkeys`: the new passkey's view. */
export async function registerPasskey(
  platform: AuthGateway,
  token: string,
  authenticator: SoftAuthenticator,
  name = 'Test passkey',
): Promise<{ id: string; name: string; createdAt: string; lastUsedAt: string | null }> {
  const credential = authenticator.create(await registrationOptions(platform, token));
  const answer = await platform.api('POST', '/me/passkeys', { token, body: { name, credential } });
  expectStatus(answer, 201);
  return answer.body;
}

/** `POST /auth/passkey/options` (expects 200). */
export async function loginOptions(
  platform: AuthGateway,
  userId?: string,
): Promise<{ flowId: string; options: RequestOptions & Record<string, unknown>; expiresAt: string }> {
  const answer = await platform.api('POST', '/auth/passkey/options', {
    body: userId === undefined ? {} : { userId },
  });
  expectStatus(answer, 200);
  return answer.body;
}

/** A whole passkey login: options, the authenticator's answer, verify. Returns the verify answer. */
export async function passkeyLogin(
  platform: AuthGateway,
  authenticator: SoftAuthenticator,
  options: { userId?: string; overrides?: CeremonyOverrides } = {},
): Promise<Answer> {
  const { flowId, options: requestOptions } = await loginOptions(platform, options.userId);
  const credential = authenticator.get(requestOptions, options.overrides);
  return platform.api('POST', '/auth/passkey/verify', { body: { flowId, credential } });
}
