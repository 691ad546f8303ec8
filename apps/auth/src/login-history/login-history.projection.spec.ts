import { AuditEvent } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { LoginHistoryProjection } from './login-history.projection';

describe(LoginHistoryProjection.name, () => {
  const sut = new LoginHistoryProjection({} as OutboxWriter);
  const fact = (type: string, reasons: string[], id: string): AuditEvent =>
    ({
      id,
      type,
      occurredAt: '2026-01-01T00:00:00.000Z',
      correlationId: 'req-1',
      actor: { userId: 'u1' },
      outcome: 'success',
      reasons,
      tenants: ['N1'],
    }) as AuditEvent;
  const login = fact('auth.login.succeeded', ['password', 'sms'], 'e1');
  const started = fact('auth.session.started', ['second_factor'], 'e2');

  it('writes the rows of one statement in one INSERT, in the order of the facts', () => {
    const statement = sut.statement([login, started])!;
    expect(statement.sql.match(/INSERT INTO/g)).toHaveLength(1);
    expect(statement.params[0]).toBe('e1');
    expect(statement.params[13]).toBe('e2');
  });

  it('gives a session start the method of the login written before it in the same statement', () => {
    const statement = sut.statement([login, started])!;
    // Its row cannot see the login's (one snapshot): the method is taken from the fact itself.
    expect(statement.params[13 + 5]).toBe('sms');
    expect(statement.sql).not.toContain('SELECT h.method');
  });

  it('looks for the method in earlier statements of the request when the statement has none', () => {
    const statement = sut.statement([started])!;
    expect(statement.sql).toContain('SELECT h.method');
  });

  it('writes a row under the condition of its fact', () => {
    const failed = fact('auth.login.failed', ['wrong_password'], 'e3');
    const locked = fact('auth.login.locked_out', ['password_failures'], 'e4');
    const when = 'EXISTS (SELECT 1 FROM settled WHERE locks)';
    const statement = sut.statement([failed, locked], [undefined, when])!;
    expect(statement.sql).toContain('WHERE true UNION ALL SELECT');
    expect(statement.sql).toContain(`WHERE ${when}`);
  });
});
