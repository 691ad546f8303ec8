import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { CallContext } from '@app/contracts';

const storage = new AsyncLocalStorage<CallContext>();

/**
 * The call context of the work being done (request id, client, principal). The gateway opens one per
 * HTTP request; a service opens one per NATS message from the envelope, so the same request id is on
 * every log line and audit event of one user action, in every service.
 */
export const RequestContext = {
  run<T>(ctx: CallContext, fn: () => T): T {
    return storage.run(ctx, fn);
  },
  current(): CallContext | undefined {
    return storage.getStore();
  },
  requestId(): string {
    return storage.getStore()?.requestId ?? randomUUID();
  },
};
