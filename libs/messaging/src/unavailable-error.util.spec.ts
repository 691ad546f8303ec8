import { QueryFailedError } from 'typeorm';
import { isUnavailableError } from './unavailable-error.util';

describe(isUnavailableError.name, () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

  it('recognises a database that cannot be reached or went away', () => {
    expect(isUnavailableError(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isUnavailableError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailableError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isUnavailableError(withCode('terminating connection due to administrator command', '57P01'))).toBe(
      true,
    );
    expect(isUnavailableError(withCode('the database system is starting up', '57P03'))).toBe(true);
    expect(isUnavailableError(withCode('connection failure', '08006'))).toBe(true);
  });

  it('looks through TypeORM and error causes', () => {
    const driverError = withCode('terminating connection due to administrator command', '57P01');
    expect(isUnavailableError(new QueryFailedError('SELECT 1', [], driverError))).toBe(true);
    expect(isUnavailableError(new Error('outer', { cause: withCode('reset', 'ECONNRESET') }))).toBe(true);
  });

  it('leaves bugs and bad queries as they are', () => {
    expect(isUnavailableError(new TypeError('x is undefined'))).toBe(false);
    expect(isUnavailableError(withCode('duplicate key value', '23505'))).toBe(false);
    expect(
      isUnavailableError(new QueryFailedError('SELECT', [], withCode('syntax error at or near', '42601'))),
    ).toBe(false);
    expect(isUnavailableError(null)).toBe(false);
    expect(isUnavailableError('Connection terminated')).toBe(false);
  });
});
