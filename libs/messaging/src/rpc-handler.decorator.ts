import { MessagePattern } from '@nestjs/microservices';
import { RpcEnvelope, RpcRequest, RpcResponse, RpcSubject } from '@app/contracts';

type Handler<S extends RpcSubject> = (envelope: RpcEnvelope<RpcRequest<S>>) => Promise<RpcResponse<S>>;

/**
 * `@MessagePattern` bound to the RpcMap: the decorated method must take the subject's envelope and
 * resolve to its response type, or the code does not compile.
 */
export function RpcHandler<S extends RpcSubject>(subject: S) {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<Handler<S>>): void => {
    MessagePattern(subject)(target, key, descriptor);
  };
}
