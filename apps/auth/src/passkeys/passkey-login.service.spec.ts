import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuthenticatedResult, CallContext, ErrorCode, PasskeyLoginDto } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { LockoutService } from '../lockout/lockout.service';
import { LoginCompletion } from '../login-flow/login-completion.service';
import { recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { Passkey } from './passkey.entity';
import { PasskeyLoginService } from './passkey-login.service';
import { PasskeyRepository } from './passkey.repository';
import { RelyingParty } from './relying-party';
import { WebauthnChallenge } from './webauthn-challenge.entity';
import { WebauthnChallengeStore } from './webauthn-challenge.store';
import { encodedUserHandleFor } from './webauthn-input.util';

jest.mock('@simplewebauthn/server', () => ({
  ...jest.requireActual<object>('@simplewebauthn/server'),
  verifyAuthenticationResponse: jest.fn(),
}));

describe(PasskeyLoginService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const ctx = {} as CallContext;
  const userId = '6f1c7c1e-3a52-4d0e-9a39-7d3f2b1d6a11';
  const alice: LoginAccount = {
    user: { id: userId, userIdKey: 'alice', loginDisabled: false } as User,
    memberships: [],
  };
  const passkey = {
    id: 'p1',
    userId,
    credentialId: 'cred',
    publicKey: Buffer.from([1]),
    counter: 4,
  } as Passkey;
  const challenge = { id: 'f1', userId: null, namesUser: false, challenge: 'c' } as WebauthnChallenge;
  const dto = { flowId: 'f1', credential: { id: 'cred', response: {} } } as unknown as PasskeyLoginDto;
  const verified = verifyAuthenticationResponse as jest.MockedFunction<typeof verifyAuthenticationResponse>;
  let sut: PasskeyLoginService;
  let challenges: MockOf<WebauthnChallengeStore>;
  let passkeys: MockOf<PasskeyRepository>;
  let accounts: MockOf<LoginAccountRepository>;
  let lockout: MockOf<LockoutService>;
  let flows: MockOf<LoginFlowService>;
  let completion: MockOf<LoginCompletion>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(PasskeyLoginService, [
      { provide: Clock, useValue: clock },
      { provide: RelyingParty, useValue: { id: 'localhost', origins: ['http://localhost'] } },
    ]);
    sut = t.sut;
    challenges = t.mock(WebauthnChallengeStore);
    challenges.takeLogin.mockResolvedValue(challenge);
    passkeys = t.mock(PasskeyRepository);
    passkeys.transaction.mockImplementation(async (work) => work(manager));
    passkeys.findByCredentialId.mockResolvedValue(passkey);
    passkeys.recordUse.mockResolvedValue(true);
    accounts = t.mock(LoginAccountRepository);
    accounts.findById.mockResolvedValue(alice);
    lockout = t.mock(LockoutService);
    lockout.lockedFor.mockResolvedValue(null);
    flows = t.mock(LoginFlowService);
    completion = t.mock(LoginCompletion);
    completion.owesInitialPassword.mockResolvedValue(false);
    completion.finish.mockResolvedValue({ status: 'authenticated' } as AuthenticatedResult);
    ({ facts } = recordedFacts(t));
    verified.mockReset();
    verified.mockResolvedValue({
      verified: true,
      authenticationInfo: { newCounter: 5 },
    } as Awaited<ReturnType<typeof verifyAuthenticationResponse>>);
  });

  function failedWith(...reasons: string[]) {
    expect(facts.record).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({ type: 'auth.login.failed', outcome: 'failure', reasons }),
    );
  }

  it.each([
    ['a spent or unknown challenge', () => challenges.takeLogin.mockResolvedValue(null), 'challenge'],
    [
      'an unknown credential',
      () => passkeys.findByCredentialId.mockResolvedValue(null),
      'unknown_credential',
    ],
    [
      'a passkey of another user than the one named',
      () => challenges.takeLogin.mockResolvedValue({ ...challenge, namesUser: true, userId: 'u2' }),
      'other_user',
    ],
  ])('refuses %s with passkey_invalid and records why', async (_name, arrange, why) => {
    arrange();
    await expect(sut.verify(dto, ctx)).rejects.toMatchObject({ code: ErrorCode.PasskeyInvalid });
    failedWith('passkey', why);
    expect(verified).not.toHaveBeenCalled();
  });

  it('refuses a user handle that is not the passkey owner’s', async () => {
    const other = { ...dto, credential: { id: 'cred', response: { userHandle: 'AAAA' } } };
    await expect(sut.verify(other as unknown as PasskeyLoginDto, ctx)).rejects.toMatchObject({
      code: ErrorCode.PasskeyInvalid,
    });
    failedWith('passkey', 'user_handle');
  });

  it('refuses a signature the verifier rejects, counting no try of the lockout', async () => {
    verified.mockResolvedValue({ verified: false } as Awaited<
      ReturnType<typeof verifyAuthenticationResponse>
    >);
    await expect(sut.verify(dto, ctx)).rejects.toMatchObject({ code: ErrorCode.PasskeyInvalid });
    failedWith('passkey', 'signature');
    expect(lockout.recordFailure).not.toHaveBeenCalled();
  });

  it('refuses a locked ID even with a right passkey (AUTH-3)', async () => {
    lockout.lockedFor.mockResolvedValue(60);
    await expect(sut.verify(dto, ctx)).rejects.toMatchObject({
      code: ErrorCode.AccountLocked,
      details: { retryAfter: 60 },
    });
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.login.refused_locked',
      target: { type: 'passkey', id: 'p1' },
      outcome: 'denied',
      reasons: ['account_locked'],
    });
    expect(passkeys.recordUse).not.toHaveBeenCalled();
  });

  it('refuses an account whose login is disabled', async () => {
    accounts.findById.mockResolvedValue({ ...alice, user: { ...alice.user, loginDisabled: true } as User });
    await expect(sut.verify(dto, ctx)).rejects.toMatchObject({ code: ErrorCode.LoginDisabled });
    expect(passkeys.recordUse).not.toHaveBeenCalled();
  });

  it('refuses an answer whose counter another answer already used', async () => {
    passkeys.recordUse.mockResolvedValue(false);
    await expect(sut.verify(dto, ctx)).rejects.toMatchObject({ code: ErrorCode.PasskeyInvalid });
    failedWith('passkey', 'counter');
    expect(completion.finish).not.toHaveBeenCalled();
  });

  it('ends the login as both steps, with the owner’s user handle', async () => {
    const own = {
      ...dto,
      credential: { id: 'cred', response: { userHandle: encodedUserHandleFor(userId) } },
    };
    expect(await sut.verify(own as unknown as PasskeyLoginDto, ctx)).toEqual({ status: 'authenticated' });
    expect(passkeys.recordUse).toHaveBeenCalledWith(manager, 'p1', 5, clock.now());
    expect(completion.finish).toHaveBeenCalledWith(manager, alice, {
      secondFactorAt: clock.now(),
      methods: ['passkey'],
      ctx,
    });
  });

  it('asks for the initial password still owed instead of ending the login (AUTH-14)', async () => {
    completion.owesInitialPassword.mockResolvedValue(true);
    flows.open.mockResolvedValue({ id: 'flow-1' } as LoginFlow);
    expect(await sut.verify(dto, ctx)).toEqual({ status: 'initial_password_required', flowId: 'flow-1' });
    expect(flows.advanceToInitialPassword).toHaveBeenCalledWith(
      manager,
      { id: 'flow-1' },
      clock.now(),
      'passkey',
      null,
    );
    expect(completion.finish).not.toHaveBeenCalled();
  });
});
