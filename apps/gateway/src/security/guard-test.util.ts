import { ExecutionContext } from '@nestjs/common';
import { DomainError, ErrorCode, Principal } from '@app/contracts';

/** An HTTP ExecutionContext for guard specs: the handler and class carry the decorators under test. */
export function httpContext(
  controller: new () => object,
  method: string,
  req: Record<string, unknown>,
): ExecutionContext {
  const handler = (controller.prototype as Record<string, unknown>)[method] as () => unknown;
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}), getNext: () => undefined }),
  } as unknown as ExecutionContext;
}

export function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    id: 'u-1',
    sessionId: 's-1',
    tenant: 'N202400003',
    role: 'admin',
    secondFactorAt: null,
    ...overrides,
  };
}

/** The error code a guard refused with (sync or async), or undefined when it let the call through. */
export async function refusal(call: () => unknown): Promise<ErrorCode | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : undefined;
  }
}
