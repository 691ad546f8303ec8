import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import type { NatsConnection } from 'nats';
import { firstValueFrom, timeout } from 'rxjs';
import { APP_CONFIG, BaseEnv } from '@app/config';
import {
  CallContext,
  DomainError,
  ErrorCode,
  RpcEnvelope,
  RpcRequest,
  RpcResponse,
  RpcSubject,
} from '@app/contracts';
import { AppLogger, InjectLogger, RequestContext } from '@app/observability';
import { natsConnectionOptions } from './nats-options';

/**
 * Typed request/reply over NATS. The subject fixes the request and response types (RpcMap), the
 * current call context travels in the envelope, and a remote DomainError comes back as a DomainError.
 */
@Injectable()
export class RpcClient implements OnApplicationShutdown {
  private readonly logger: AppLogger;
  private readonly client: ClientProxy;

  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: RpcClient.name });
    this.client = ClientProxyFactory.create({
      transport: Transport.NATS,
      options: natsConnectionOptions(config, 'rpc-client'),
    });
  }

  async send<S extends RpcSubject>(
    subject: S,
    data: RpcRequest<S>,
    ctx: CallContext | undefined = RequestContext.current(),
  ): Promise<RpcResponse<S>> {
    // The caller is named by its access token only: a principal in the envelope would be dropped by
    // the receiving service anyway, which derives it from the token it verifies itself.
    const { principal: _derived, ...sent } = ctx ?? { requestId: RequestContext.requestId() };
    const envelope: RpcEnvelope<RpcRequest<S>> = { ctx: sent, data };
    try {
      return await firstValueFrom(
        this.client
          .send<RpcResponse<S>>(subject, envelope)
          .pipe(timeout(this.config.NATS_REQUEST_TIMEOUT_MS)),
      );
    } catch (error: unknown) {
      throw this.toDomainError(subject, error);
    }
  }

  private toDomainError(subject: string, error: unknown): DomainError {
    if (error instanceof DomainError) {
      return error;
    }
    if (DomainError.isPayload(error)) {
      return new DomainError(error.code, error.details);
    }
    // Time-outs, "no responders" and transport failures: the service is not there right now.
    this.logger.warn({ subject, err: error instanceof Error ? error.message : String(error) }, 'rpc failed');
    return new DomainError(ErrorCode.ServiceUnavailable);
  }

  /**
   * Resolves once the NATS server answers a ping on this client's connection (readiness); rejects,
   * or stays pending while reconnecting, otherwise: callers bound it with their own deadline.
   */
  async ping(): Promise<void> {
    await this.client.connect();
    await this.client.unwrap<NatsConnection>().flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
