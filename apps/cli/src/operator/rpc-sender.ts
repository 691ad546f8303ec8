import { CallContext, RpcRequest, RpcResponse, RpcSubject } from '@app/contracts';

/** The part of RpcClient the commands use, so a unit test can hand them a fake. */
export interface RpcSender {
  send<S extends RpcSubject>(subject: S, data: RpcRequest<S>, ctx?: CallContext): Promise<RpcResponse<S>>;
}
