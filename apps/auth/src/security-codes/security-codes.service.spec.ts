import { EntityManager } from 'typeorm';
import { APP_CONFIG, Clock } from '@app/config';
import { ErrorCode } from '@app/contracts';
import { LOGGER } from '@app/observability';
import { FakeClock, MockOf, newTestService, silentLogger } from '@app/testing';
import { SecretHasher } from '../crypto/secret-hasher';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { SecondStepMethod, SecondStepPreload } from '../flows/second-step-method';
import { SecondStepMethods } from '../flows/second-step-methods';
import { SecurityCode } from './security-code.entity';
import { SecurityCodesRepository } from './security-codes.repository';
import { SecurityCodesService } from './security-codes.service';

describe(SecurityCodesService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const flow = { id: 'f1' } as LoginFlow;
  const live = {
    id: 'c1',
    flowId: 'f1',
    channel: 'sms',
    codeHmac: 'hmac(123456,f1)',
    attemptsLeft: 3,
    expiresAt: new Date(clock.now().getTime() + 60_000),
    voidedAt: null,
    consumedAt: null,
    messageId: 'm1',
  } as SecurityCode;
  const registered = new Map<string, SecondStepMethod>();
  let sut: SecurityCodesService;
  let codes: MockOf<SecurityCodesRepository>;
  let flows: MockOf<LoginFlowService>;

  beforeEach(async () => {
    const t = await newTestService(SecurityCodesService, [
      { provide: Clock, useValue: clock },
      { provide: APP_CONFIG, useValue: {} },
      { provide: LOGGER, useValue: silentLogger() },
    ]);
    sut = t.sut;
    t.mock(SecondStepMethods).register.mockImplementation((m) => {
      registered.set(m.type, m);
    });
    sut.onModuleInit();
    codes = t.mock(SecurityCodesRepository);
    codes.latest.mockResolvedValue(live);
    flows = t.mock(LoginFlowService);
    flows.live.mockResolvedValue(flow);
    codes.consumeStatement.mockImplementation((id, now) => ({ sql: 'consume', params: [id, now] }));
    codes.spendTryStatement.mockImplementation((id, left, voided) => ({
      sql: 'spend',
      params: [id, left, voided],
    }));
    t.mock(SecretHasher).matches.mockImplementation(
      (secret, expected, context) => `hmac(${secret},${context})` === expected,
    );
  });

  const verify = (channel: 'sms' | 'email', code: string | undefined, preload?: SecondStepPreload) =>
    registered.get(channel)!.verify(manager, flow, {} as never, code, clock.now(), preload);

  describe('check', () => {
    it('asks for a code', async () => {
      await expect(verify('sms', '')).rejects.toMatchObject({ code: ErrorCode.ValidationFailed });
    });

    it('accepts the live code once, typed with full-width digits and spaces', async () => {
      // The code's change goes back to the caller, to be written with the outcome's facts.
      expect(await verify('sms', '１２３ ４５６')).toEqual({
        ok: true,
        writes: [{ sql: 'consume', params: ['c1', clock.now()] }],
      });
      expect(codes.latest).toHaveBeenCalledWith('f1', manager, true);
      expect(codes.update).not.toHaveBeenCalled();
    });

    it('costs the code one try for a wrong entry', async () => {
      expect(await verify('sms', '000000')).toEqual({
        ok: false,
        attemptsLeft: 2,
        writes: [{ sql: 'spend', params: ['c1', 2, null] }],
      });
    });

    it('voids the code with its last try', async () => {
      codes.latest.mockResolvedValue({ ...live, attemptsLeft: 1 } as SecurityCode);
      expect(await verify('sms', '000000')).toEqual({
        ok: false,
        attemptsLeft: 0,
        writes: [{ sql: 'spend', params: ['c1', 0, clock.now()] }],
      });
    });

    it('reads nothing more when the verify read the live code with the flow', async () => {
      expect(await verify('sms', '123456', { latestCode: live })).toMatchObject({ ok: true });
      expect(codes.latest).not.toHaveBeenCalled();
    });

    it('looks again when the code read with the flow is no longer usable (a resend raced it)', async () => {
      const voided = { ...live, id: 'c0', voidedAt: clock.now() };
      expect(await verify('sms', '000000', { latestCode: voided })).toMatchObject({
        ok: false,
        writes: [{ sql: 'spend', params: ['c1', 2, null] }],
      });
      expect(codes.latest).toHaveBeenCalledWith('f1', manager, true);
    });

    it('answers code_expired without a read when the flow has no code', async () => {
      await expect(verify('sms', '123456', { latestCode: null })).rejects.toMatchObject({
        code: ErrorCode.CodeExpired,
      });
      expect(codes.latest).not.toHaveBeenCalled();
    });

    it.each([
      ['no code', null],
      ['a voided code', { ...live, voidedAt: clock.now() }],
      ['a used code', { ...live, consumedAt: clock.now() }],
      ['a code at its expiry instant', { ...live, expiresAt: clock.now() }],
    ])('answers code_expired for %s', async (_name, latest) => {
      codes.latest.mockResolvedValue(latest as SecurityCode | null);
      await expect(verify('sms', '123456')).rejects.toMatchObject({ code: ErrorCode.CodeExpired });
      expect(codes.spendTryStatement).not.toHaveBeenCalled();
      expect(codes.consumeStatement).not.toHaveBeenCalled();
    });

    it('answers code_expired for a code sent by the other channel', async () => {
      await expect(verify('email', '123456')).rejects.toMatchObject({
        code: ErrorCode.CodeExpired,
      });
    });
  });

  describe('latestCode', () => {
    it('shows the live code as pending, with the message carrying it (NOTIF-5)', async () => {
      expect(await sut.latestCode('f1')).toEqual({ method: 'sms', status: 'pending', messageId: 'm1' });
    });

    it('shows a spent code as expired, and no code as none', async () => {
      codes.latest.mockResolvedValue({ ...live, consumedAt: clock.now() } as SecurityCode);
      expect(await sut.latestCode('f1')).toMatchObject({ status: 'expired' });
      codes.latest.mockResolvedValue(null);
      expect(await sut.latestCode('f1')).toBeNull();
    });
  });
});
