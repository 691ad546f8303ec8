import {
  PasskeyIdParam,
  PasskeyLoginDto,
  PasskeyLoginOptions,
  PasskeyLoginOptionsDto,
  PasskeyRegistrationOptions,
  PasskeyView,
  RegisterPasskeyDto,
  RenamePasskeyRequest,
} from '../dto/passkey.dto';
import { LoginResult } from '../dto/views';
import { AreaRequestClasses, EmptyRequest } from './rpc-request-class';

type Empty = Record<string, never>;

/*
 * Subjects of this area, merged into RpcMap (one file per area, so areas never edit each other's
 * lines). Add entries as `'auth.x.y': [Request, Response];`.
 */
declare module './rpc-map' {
  interface RpcMap {
    /** Challenge for a passkey login; the same shape whether or not the user ID exists (AUTH-10). */
    'auth.passkey.login.options': [PasskeyLoginOptionsDto, PasskeyLoginOptions];
    /** A passkey login: no password, no code, no second step (AUTH-5, AUTH-10). */
    'auth.passkey.login.verify': [PasskeyLoginDto, LoginResult];
    /** Registration options for the caller; step-up (AUTH-10, AUTH-12). */
    'auth.me.passkey.options': [Empty, PasskeyRegistrationOptions];
    /** Verify and store the caller's new passkey; step-up. */
    'auth.me.passkey.register': [RegisterPasskeyDto, PasskeyView];
    /** The caller's passkeys. */
    'auth.me.passkey.list': [Empty, PasskeyView[]];
    /** Rename one of the caller's passkeys; step-up. */
    'auth.me.passkey.rename': [RenamePasskeyRequest, PasskeyView];
    /** Delete one of the caller's passkeys; step-up. */
    'auth.me.passkey.delete': [PasskeyIdParam, Empty];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const PASSKEY_RPC_CLASSES = {
  'auth.passkey.login.options': PasskeyLoginOptionsDto,
  'auth.passkey.login.verify': PasskeyLoginDto,
  'auth.me.passkey.register': RegisterPasskeyDto,
  'auth.me.passkey.rename': RenamePasskeyRequest,
  'auth.me.passkey.delete': PasskeyIdParam,
  'auth.me.passkey.options': EmptyRequest,
  'auth.me.passkey.list': EmptyRequest,
} satisfies AreaRequestClasses;
