import { EntityManager } from 'typeorm';
import { AppLogger } from '@app/observability';
import { FakeClock, silentLogger } from '@app/testing';
import { OutboxWriter } from '@app/database';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { LoginMemory } from './login-memory';
import { LoginMemoryRepository } from './login-memory.repository';
import { RiskAssessor } from './risk-assessor.service';
import { LoginMemorySnapshot, RiskFinding, RiskSignal } from './risk-signal';

describe(RiskAssessor.name, () => {
  const account: LoginAccount = {
    user: { id: 'u1', userIdKey: 'alice', timezone: 'Asia/Tokyo' } as User,
    memberships: [{ tenantNumber: 'N1', tenantName: 'T', role: 'user', mfaAlways: false }],
  };
  const snapshot: LoginMemorySnapshot = {
    hasHistory: true,
    deviceKnown: false,
    networkKnown: false,
    lastLogin: null,
    recentFailures: 0,
  };
  const signal = (name: string, finding: RiskFinding | null | Error): RiskSignal => ({
    name,
    evaluate: jest.fn(async () => {
      if (finding instanceof Error) {
        throw finding;
      }
      return finding;
    }),
  });
  let outbox: jest.Mocked<Pick<OutboxWriter, 'record'>>;
  let memory: jest.Mocked<Pick<LoginMemory, 'recall'>>;
  const rows = {
    transaction: (fn: (m: EntityManager) => unknown) => fn({} as EntityManager),
  } as unknown as LoginMemoryRepository;
  const clock = new FakeClock(new Date('2026-03-02T03:00:00Z'));

  const sut = (signals: RiskSignal[], logger: AppLogger = silentLogger()) =>
    new RiskAssessor(
      signals,
      memory as unknown as LoginMemory,
      rows,
      new AuditFacts(outbox as unknown as OutboxWriter),
      clock,
      logger,
    );

  beforeEach(() => {
    outbox = { record: jest.fn() };
    memory = { recall: jest.fn().mockResolvedValue(snapshot) };
  });

  it('gives every signal the login and what is remembered, and adds up their findings', async () => {
    const a = signal('a', { reason: 'new_device', weight: 2 });
    const b = signal('b', { reason: 'new_network', weight: 1 });
    const verdict = await sut([a, b]).assess(account, { requestId: 'r', ip: '203.0.113.9', userAgent: 'UA' });
    expect(memory.recall).toHaveBeenCalledWith(
      'u1',
      'alice',
      { ip: '203.0.113.9', userAgent: 'UA', now: clock.now() },
      undefined,
    );
    expect(a.evaluate).toHaveBeenCalledWith(
      expect.objectContaining({ account, ip: '203.0.113.9', userAgent: 'UA', memory: snapshot }),
    );
    expect(verdict).toEqual({ outcome: 'second_factor', score: 3, reasons: ['new_device', 'new_network'] });
  });

  it('audits the reason codes whenever a signal fired, even when the login is allowed', async () => {
    await sut([signal('a', { reason: 'new_network', weight: 1 })]).assess(account, { requestId: 'r' });
    expect(outbox.record).toHaveBeenCalledWith(expect.anything(), {
      type: 'auth.login.risk_assessed',
      actor: { userId: 'u1' },
      target: { type: 'user', id: 'u1' },
      outcome: 'info',
      reasons: ['new_network'],
      tenants: ['N1'],
    });
  });

  it('writes nothing when no signal fired', async () => {
    const verdict = await sut([signal('a', null)]).assess(account, { requestId: 'r' });
    expect(verdict.outcome).toBe('allow');
    expect(outbox.record).not.toHaveBeenCalled();
  });

  it('counts a failing signal as no finding and still counts the others', async () => {
    const warn = jest.fn();
    const logger = { child: () => ({ warn }) } as unknown as AppLogger;
    const verdict = await sut(
      [
        signal('broken', new Error('geo database down')),
        signal('b', { reason: 'recent_failures', weight: 3 }),
      ],
      logger,
    ).assess(account, { requestId: 'r' });
    expect(verdict).toMatchObject({ outcome: 'second_factor', reasons: ['recent_failures'] });
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ signal: 'broken' }), expect.any(String));
  });
});
