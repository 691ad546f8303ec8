import { RpcSubject } from './rpc-map';

/*
 * Subjects of this area, merged into RpcMap (one file per area, so areas never edit each other's
 * lines). Add entries as `'auth.x.y': [Request, Response];`.
 */
declare module './rpc-map' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface RpcMap {}
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const ME_RPC_CLASSES: Partial<Record<RpcSubject, new () => object>> = {};
