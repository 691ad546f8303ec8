import { InjectionToken, Provider, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';

/** A class's methods as jest mocks, typed by the class: `mocked.lockedFor.mockResolvedValue(null)`. */
export type MockOf<T> = jest.Mocked<T>;

/** The service under test and typed mocks of every dependency of its constructor. */
export interface TestService<S> {
  sut: S;
  /** The mock the service was given for `token`; the instance given in `overrides` when overridden. */
  mock<T>(token: Type<T> | (abstract new (...args: never[]) => T)): MockOf<T>;
}

/**
 * Every method of `token`'s class (its prototype chain up to Object) as a `jest.fn()`, so a call
 * the test did not arrange returns undefined instead of reaching a database. A token that is not a
 * class (a string or symbol) gets an empty object.
 */
function autoMock(token: InjectionToken | undefined): unknown {
  const mock: Record<string, jest.Mock> = {};
  if (typeof token !== 'function') {
    return mock;
  }
  for (let proto = token.prototype as object | null; proto && proto !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && !(name in mock) && typeof descriptor?.value === 'function') {
        mock[name] = jest.fn();
      }
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return mock;
}

/**
 * `service` built by Nest's injector as in production, with every constructor dependency replaced
 * by an automatic mock (`useMocker`) unless `overrides` provides it (e.g. a FakeClock). The unit
 * tier's way to test a service's rules without PostgreSQL: repositories, clock and randomness are
 * its only ways out.
 *
 *     const { sut, mock } = await newTestService(AdminUserAccess, [{ provide: Clock, useValue: clock }]);
 *     mock(LockoutService).unlock.mockResolvedValue();
 */
export async function newTestService<S>(
  service: Type<S>,
  overrides: Provider[] = [],
): Promise<TestService<S>> {
  const mocks = new Map<InjectionToken, unknown>();
  const moduleRef = await Test.createTestingModule({ providers: [service, ...overrides] })
    .useMocker((token) => {
      const mock = autoMock(token);
      mocks.set(token as InjectionToken, mock);
      return mock;
    })
    .compile();
  return {
    sut: moduleRef.get(service),
    mock: <T>(token: Type<T> | (abstract new (...args: never[]) => T)): MockOf<T> => {
      const found = mocks.get(token) ?? moduleRef.get(token as InjectionToken, { strict: false });
      if (found === undefined) {
        throw new Error(`${token.name} is not a dependency of ${service.name}`);
      }
      return found as MockOf<T>;
    },
  };
}
