import { IsUUID } from 'class-validator';
import { RpcRequest, RpcSubject } from './rpc-map';

/** The request of a subject that takes no fields: validation strips whatever a peer sends. */
export class EmptyRequest {}

/** A login flow named in the path (`/auth/login/:flowId/...`); flow ids are uuids. */
export class FlowIdRequest {
  @IsUUID('all', { message: 'flowId must be a login flow id' })
  flowId!: string;
}

/**
 * The class that validates a subject's request at the service boundary. Its instance is what the
 * handler receives, so the class must declare every field of the request: the body's and the path's.
 * Subjects without fields (`Record<string, never>`) take `EmptyRequest`.
 */
export type RpcRequestClass<S extends RpcSubject> = new () => RpcRequest<S> extends Record<string, never>
  ? EmptyRequest
  : RpcRequest<S>;

/** One request class per subject: a subject added to RpcMap without one does not compile. */
export type RpcRequestClasses = { [S in RpcSubject]: RpcRequestClass<S> };

/** An area's share of RpcRequestClasses (`{ ... } satisfies AreaRequestClasses`). */
export type AreaRequestClasses = { [S in RpcSubject]?: RpcRequestClass<S> };
