import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Observable, from, lastValueFrom } from 'rxjs';
import {
  DomainError,
  ErrorCode,
  malformedText,
  RPC_REQUEST_CLASSES,
  RpcEnvelope,
  RpcSubject,
  unexpectedNulls,
} from '@app/contracts';
import { AppLogger, InjectLogger, Metrics, RequestContext } from '@app/observability';
import { principalFromClaims } from './access-token-claims.util';
import { AccessTokenVerifier } from './access-token-verifier';

/**
 * Around every NATS handler: checks the envelope, derives the caller from the access token it
 * carries (verified here, not believed), validates the payload again at this service's boundary
 * (unknown fields stripped; the handler gets the validated instance), runs the handler inside the
 * caller's request context and measures it.
 */
@Injectable()
export class RpcServerInterceptor implements NestInterceptor {
  private readonly logger: AppLogger;

  constructor(
    private readonly metrics: Metrics,
    private readonly tokens: AccessTokenVerifier,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: 'rpc' });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') {
      return next.handle();
    }
    const rpc = context.switchToRpc();
    const subject = rpc.getContext<NatsContext>().getSubject() as RpcSubject;
    const envelope = rpc.getData<Partial<RpcEnvelope<unknown>>>();
    const started = process.hrtime.bigint();
    return from(
      RequestContext.run(
        envelope?.ctx && typeof envelope.ctx.requestId === 'string'
          ? envelope.ctx
          : { requestId: RequestContext.requestId() },
        async () => {
          let outcome = 'ok';
          try {
            await this.validateEnvelope(subject, envelope);
            await this.establishPrincipal(envelope as RpcEnvelope<unknown>);
            return await lastValueFrom(next.handle(), { defaultValue: undefined });
          } catch (error) {
            outcome = error instanceof DomainError ? error.code : 'error';
            throw error;
          } finally {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            this.metrics.rpcDuration.observe({ subject, outcome }, seconds);
            this.logger.debug({ subject, outcome, ms: Math.round(seconds * 1000) }, 'rpc handled');
          }
        },
      ),
    );
  }

  /**
   * A NATS peer may put anything into `ctx`: whatever principal it sent is dropped, and the one the
   * handlers see (`ctx.principal`) comes only from an access token that verifies here. A call without
   * a token has no principal, and handlers that need one refuse it.
   */
  private async establishPrincipal(envelope: RpcEnvelope<unknown>): Promise<void> {
    const ctx = envelope.ctx;
    delete ctx.principal;
    if (ctx.accessToken === undefined) {
      return;
    }
    ctx.principal = principalFromClaims(await this.tokens.verify(ctx.accessToken));
  }

  private async validateEnvelope(
    subject: RpcSubject,
    envelope: Partial<RpcEnvelope<unknown>> | undefined,
  ): Promise<void> {
    if (
      !envelope ||
      typeof envelope !== 'object' ||
      !envelope.ctx ||
      typeof envelope.ctx !== 'object' ||
      typeof envelope.data !== 'object' ||
      envelope.data === null
    ) {
      throw new DomainError(ErrorCode.ValidationFailed, { fields: { envelope: ['must be { ctx, data }'] } });
    }
    // The gateway's text rule again: a NATS peer may not have come through it.
    const cls: (new () => object) | undefined = RPC_REQUEST_CLASSES[subject];
    const textProblems = { ...malformedText(envelope.data, cls), ...unexpectedNulls(envelope.data, cls) };
    if (Object.keys(textProblems).length > 0) {
      throw new DomainError(ErrorCode.ValidationFailed, { fields: textProblems });
    }
    if (!cls) {
      // Only subjects of RpcMap reach a handler, and each has a class; anything else is refused.
      throw new DomainError(ErrorCode.ValidationFailed, { fields: { subject: ['is not a known subject'] } });
    }
    // Fields the class does not declare are dropped, and the handler receives the validated instance:
    // what it reads is exactly what was checked.
    const request = plainToInstance(cls, envelope.data);
    const errors = await validate(request, { whitelist: true, forbidUnknownValues: false });
    if (errors.length > 0) {
      const fields = Object.fromEntries(
        errors.map((e) => [e.property, Object.values(e.constraints ?? { invalid: 'is invalid' })]),
      );
      throw new DomainError(ErrorCode.ValidationFailed, { fields });
    }
    envelope.data = withoutUndefined(request);
  }
}

/**
 * A class instance has every declared field as an own property, `undefined` when absent; JSON never
 * carries `undefined`, so dropping those keeps what a handler sees (keys, spreads) as it was sent.
 */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) {
    value.forEach(withoutUndefined);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, field] of Object.entries(value)) {
      if (field === undefined) {
        delete (value as Record<string, unknown>)[key];
      } else {
        withoutUndefined(field);
      }
    }
  }
  return value;
}
