import { Clock } from '@app/config';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { PASSKEY_CHALLENGE_TTL_MS } from './relying-party';
import { WebauthnChallenge } from './webauthn-challenge.entity';
import { WebauthnChallengeRepository } from './webauthn-challenge.repository';
import { KEEP_MS, SWEEP_BATCH, WebauthnChallengeStore } from './webauthn-challenge.store';

describe(WebauthnChallengeStore.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  let sut: WebauthnChallengeStore;
  let challenges: MockOf<WebauthnChallengeRepository>;

  beforeEach(async () => {
    const t = await newTestService(WebauthnChallengeStore, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    challenges = t.mock(WebauthnChallengeRepository);
  });

  it('issues a challenge for the passkey TTL after sweeping a bounded batch of day-old ones', async () => {
    const issued = await sut.issue('registration', 'c1', { userId: 'u1', namesUser: true });
    expect(challenges.sweep).toHaveBeenCalledWith(new Date(clock.now().getTime() - KEEP_MS), SWEEP_BATCH);
    expect(issued).toEqual({
      id: expect.any(String),
      userId: 'u1',
      purpose: 'registration',
      namesUser: true,
      challenge: 'c1',
      createdAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + PASSKEY_CHALLENGE_TTL_MS),
      usedAt: null,
    });
    expect(challenges.insert).toHaveBeenCalledWith(issued);
    const other = await sut.issue('login', 'c2', { userId: null, namesUser: false });
    expect(other.id).not.toBe(issued.id);
  });

  it('takes a challenge at the clock’s now, and hands back what the repository spent', async () => {
    const taken = { id: 'f1' } as WebauthnChallenge;
    challenges.takeLogin.mockResolvedValue(taken);
    expect(await sut.takeLogin('f1')).toBe(taken);
    expect(challenges.takeLogin).toHaveBeenCalledWith('f1', clock.now());
    challenges.takeRegistration.mockResolvedValue(null);
    expect(await sut.takeRegistration('u1', 'c1')).toBeNull();
    expect(challenges.takeRegistration).toHaveBeenCalledWith('u1', 'c1', clock.now());
  });
});
