import { EntityManager } from 'typeorm';
import { APP_CONFIG, Clock } from '@app/config';
import { EmailUndeliverableRequest, recipientHashes, RpcEnvelope } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { AuditFacts } from '../users/audit-facts';
import { auditFactsOverMockedOutbox, MockedOutbox } from '../users/audit-facts-test.util';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { DirectoryRepository } from './directory.repository';
import { EmailBounceController } from './email-bounce.controller';

describe(EmailBounceController.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const secret = 'recipient-hash-secret-for-tests';
  const alice = { id: 'u1', email: 'alice@example.com', emailUndeliverable: false } as User;
  const bounce = (address: string) =>
    ({
      data: {
        userId: 'u1',
        messageId: 'm1',
        recipientHashes: recipientHashes(address, secret),
      },
    }) as unknown as RpcEnvelope<EmailUndeliverableRequest>;
  let sut: EmailBounceController;
  let directory: MockOf<DirectoryRepository>;
  let outbox: MockedOutbox;

  beforeEach(async () => {
    let facts: AuditFacts;
    ({ outbox, facts } = auditFactsOverMockedOutbox());
    const t = await newTestService(EmailBounceController, [
      { provide: Clock, useValue: clock },
      // The real helper over a mocked writer: the stored fact's fields are what is checked.
      { provide: AuditFacts, useValue: facts },
      { provide: APP_CONFIG, useValue: { RECIPIENT_HASH_SECRET: secret } },
    ]);
    sut = t.sut;
    directory = t.mock(DirectoryRepository);
    directory.transaction.mockImplementation(async (work) => work(manager));
    directory.lockUser.mockResolvedValue(alice);
    t.mock(UsersService).tenantNumbersOf.mockResolvedValue(['N1']);
  });

  it('marks the account address undeliverable when the bounce is for it (NOTIF-6)', async () => {
    expect(await sut.emailUndeliverable(bounce('alice@example.com'))).toEqual({ marked: true });
    expect(directory.markEmailUndeliverable).toHaveBeenCalledWith(manager, 'u1', clock.now());
    expect(outbox.record).toHaveBeenCalledWith(manager, {
      type: 'auth.user.email_undeliverable',
      actor: { userId: 'u1' },
      target: { type: 'user', id: 'u1' },
      outcome: 'info',
      reasons: ['bounce', 'message:m1'],
      tenants: ['N1'],
    });
  });

  it('leaves the account alone when the bounce was for another address (changed since)', async () => {
    expect(await sut.emailUndeliverable(bounce('old@example.com'))).toEqual({ marked: false });
    expect(directory.markEmailUndeliverable).not.toHaveBeenCalled();
  });

  it('answers not marked for an unknown user', async () => {
    directory.lockUser.mockResolvedValue(null);
    expect(await sut.emailUndeliverable(bounce('alice@example.com'))).toEqual({ marked: false });
  });

  it('records one fact per address: a second bounce of a marked address changes nothing', async () => {
    directory.lockUser.mockResolvedValue({ ...alice, emailUndeliverable: true } as User);
    expect(await sut.emailUndeliverable(bounce('alice@example.com'))).toEqual({ marked: true });
    expect(directory.markEmailUndeliverable).not.toHaveBeenCalled();
    expect(outbox.record).not.toHaveBeenCalled();
  });
});
