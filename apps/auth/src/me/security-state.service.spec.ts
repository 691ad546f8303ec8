import { Clock } from '@app/config';
import { ErrorCode, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { MeRepository } from './me.repository';
import { SecurityStateService } from './security-state.service';

describe(SecurityStateService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const caller = { id: 'u1', tenant: 'N1' } as Principal;
  const user = {
    id: 'u1',
    email: 'alice@example.com',
    emailUndeliverable: false,
    phone: '+819012345678',
    smsDisabledAt: null,
    smsDisabledReason: null,
    mfaRequired: false,
    credentialVersion: 3,
  } as unknown as User;
  let sut: SecurityStateService;
  let me: MockOf<MeRepository>;
  let accounts: MockOf<LoginAccountRepository>;

  beforeEach(async () => {
    const t = await newTestService(SecurityStateService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    me = t.mock(MeRepository);
    me.enrolmentCounts.mockResolvedValue({ passkeys: 0, trusted_browsers: 0, totp_enabled: false });
    accounts = t.mock(LoginAccountRepository);
    accounts.ofCaller.mockResolvedValue({ user, memberships: [] });
  });

  it('refuses a request without a caller', async () => {
    await expect(sut.view(undefined)).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
  });

  it('counts trusted browsers of the current credential version only (AUTH-9)', async () => {
    await sut.view(caller);
    expect(me.enrolmentCounts).toHaveBeenCalledWith('u1', clock.now(), 3);
  });

  it('shows MFA off with no flag and no second factor of the user’s own', async () => {
    const view = await sut.view(caller);
    expect(view.mfaEnabled).toBe(false);
    expect(view.sms).toEqual({ available: true, disabledReason: null });
  });

  it.each([
    ['the user’s own flag', { mfaRequired: true }, {}],
    ['an authenticator app', {}, { totp_enabled: true }],
    ['a passkey', {}, { passkeys: 1 }],
  ])('shows MFA on with %s (AUTH-5)', async (_name, flags, counts) => {
    accounts.ofCaller.mockResolvedValue({ user: { ...user, ...flags } as User, memberships: [] });
    me.enrolmentCounts.mockResolvedValue({
      passkeys: 0,
      trusted_browsers: 0,
      totp_enabled: false,
      ...counts,
    });
    expect((await sut.view(caller)).mfaEnabled).toBe(true);
  });

  it('shows SMS unavailable with its reason once switched off (AUTH-19)', async () => {
    accounts.ofCaller.mockResolvedValue({
      user: { ...user, smsDisabledAt: clock.now(), smsDisabledReason: 'line_cancelled' } as User,
      memberships: [],
    });
    expect((await sut.view(caller)).sms).toEqual({
      available: false,
      disabledReason: 'line_cancelled',
    });
  });
});
