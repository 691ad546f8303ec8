import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsObject,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { MAX_NAME, MAX_USER_ID_INPUT } from './limits';

/** WebAuthn caps a credential id at 1023 bytes: 1364 characters of base64url. */
export const MAX_PASSKEY_CREDENTIAL_ID = 1364;
/**
 * The authenticator's answer as JSON. A "none" attestation is a few hundred bytes; a "packed" or
 * "tpm" one with its certificate chain a few kilobytes. Far above that is not an authenticator.
 */
export const MAX_PASSKEY_RESPONSE_JSON = 32 * 1024;
const MAX_PASSKEY_EXTENSIONS_JSON = 4 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A plain JSON object (not an array, not null) whose JSON text is at most `maxChars` long. The
 * WebAuthn answers inside a credential are checked by the WebAuthn verifier, field by field; here
 * only their outer shape and size, so nothing malformed or huge reaches it.
 */
export function IsBoundedJsonObject(maxChars: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBoundedJsonObject',
      constraints: [maxChars],
      validator: {
        validate: (value: unknown): boolean => {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            return false;
          }
          try {
            return JSON.stringify(value).length <= maxChars;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a JSON object of at most ${maxChars} characters`,
      },
    },
    options,
  );
}

/** Trims a string field before it is checked, so "  " is empty and the stored name has no padding. */
const trimmed = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);

/**
 * A WebAuthn credential as the browser's `PublicKeyCredential.toJSON()` (or @simplewebauthn/browser)
 * gives it: for registration `response` holds `clientDataJSON` and `attestationObject`, for a login
 * `clientDataJSON`, `authenticatorData`, `signature` and `userHandle`, all base64url.
 */
export class PasskeyCredentialDto {
  @ApiProperty({ description: 'Credential id, base64url', maxLength: MAX_PASSKEY_CREDENTIAL_ID })
  @IsString()
  @Length(1, MAX_PASSKEY_CREDENTIAL_ID)
  @Matches(BASE64URL, { message: 'id must be base64url' })
  id!: string;

  @ApiProperty({ description: 'The same credential id, base64url', maxLength: MAX_PASSKEY_CREDENTIAL_ID })
  @IsString()
  @Length(1, MAX_PASSKEY_CREDENTIAL_ID)
  @Matches(BASE64URL, { message: 'rawId must be base64url' })
  rawId!: string;

  @ApiProperty({ enum: ['public-key'] })
  @IsIn(['public-key'])
  type!: 'public-key';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The authenticator response (base64url fields), verified by the server',
  })
  @IsBoundedJsonObject(MAX_PASSKEY_RESPONSE_JSON)
  response!: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsBoundedJsonObject(MAX_PASSKEY_EXTENSIONS_JSON)
  clientExtensionResults?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'platform' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  authenticatorAttachment?: string;
}

/** `POST /auth/passkey/options`: with a user ID, that user's passkeys are offered; without, any. */
export class PasskeyLoginOptionsDto {
  @ApiPropertyOptional({
    example: 'admin@example.com.fm',
    description: 'Offer only this user ID’s passkeys; leave out for a discoverable-credential login',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_INPUT)
  userId?: string;
}

/** `POST /auth/passkey/verify`. */
export class PasskeyLoginDto {
  @ApiProperty({ format: 'uuid', description: 'The flowId of the options' })
  @IsUUID('all', { message: 'flowId must be a passkey login flow id' })
  flowId!: string;

  @ApiProperty({ type: PasskeyCredentialDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PasskeyCredentialDto)
  credential!: PasskeyCredentialDto;
}

/** `POST /me/passkeys`: the answer of `navigator.credentials.create()` to the registration options. */
export class RegisterPasskeyDto {
  @ApiProperty({ example: 'MacBook Touch ID', maxLength: MAX_NAME })
  @trimmed
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  name!: string;

  @ApiProperty({ type: PasskeyCredentialDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PasskeyCredentialDto)
  credential!: PasskeyCredentialDto;
}

/** `PATCH /me/passkeys/{id}`. */
export class RenamePasskeyDto {
  @ApiProperty({ example: 'Office YubiKey', maxLength: MAX_NAME })
  @trimmed
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  name!: string;
}

/** A passkey id in the path. */
export class PasskeyIdParam {
  @IsUUID('all', { message: 'id must be a passkey id' })
  id!: string;
}

/** `auth.me.passkey.rename`: the path's id with the body. */
export class RenamePasskeyRequest extends RenamePasskeyDto {
  @IsUUID('all', { message: 'id must be a passkey id' })
  id!: string;
}

/** One of the caller's passkeys, as listed (AUTH-10). */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** A credential the browser may use or must not register again (WebAuthn JSON). */
export interface PasskeyDescriptorJson {
  id: string;
  /** Always `public-key`. */
  type: string;
  transports?: string[];
}

/** `PublicKeyCredentialCreationOptionsJSON`: pass to `navigator.credentials.create()` (parsed). */
export interface PasskeyCreationOptionsJson {
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
  challenge: string;
  pubKeyCredParams: { type: 'public-key'; alg: number }[];
  timeout?: number;
  excludeCredentials?: PasskeyDescriptorJson[];
  authenticatorSelection?: {
    authenticatorAttachment?: string;
    residentKey?: string;
    requireResidentKey?: boolean;
    userVerification?: string;
  };
  attestation?: string;
  hints?: string[];
  extensions?: object;
}

/** `PublicKeyCredentialRequestOptionsJSON`: pass to `navigator.credentials.get()` (parsed). */
export interface PasskeyRequestOptionsJson {
  challenge: string;
  timeout?: number;
  rpId?: string;
  allowCredentials?: PasskeyDescriptorJson[];
  userVerification?: string;
  hints?: string[];
  extensions?: object;
}

/** `POST /me/passkeys/options`. */
export interface PasskeyRegistrationOptions {
  options: PasskeyCreationOptionsJson;
  /** The challenge is good until then, once. */
  expiresAt: string;
}

/** `POST /auth/passkey/options`. */
export interface PasskeyLoginOptions {
  flowId: string;
  options: PasskeyRequestOptionsJson;
  /** The challenge is good until then, once. */
  expiresAt: string;
}
