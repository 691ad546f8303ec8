import { EntityManager } from 'typeorm';
import { AnnouncementDto, DomainError, ErrorCode, Principal } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { FakeClock } from '@app/testing';
import { IdSource } from '../common/id-source';
import { ContractsRepository } from '../contracts/contracts.repository';
import { KnowledgeRepository } from '../knowledge/knowledge.repository';
import { AnnouncementsRepository } from './announcements.repository';
import { AnnouncementMail } from './announcement-mail';
import { AnnouncementsService } from './announcements.service';

describe(AnnouncementsService.name, () => {
  const operator: Principal = {
    id: '3f1c2a52-8a4e-4a57-9a0e-2f0b7c1d9e11',
    sessionId: 's1',
    role: 'operator',
    tenant: null,
    secondFactorAt: null,
  };
  const customer: Principal = {
    id: '4f1c2a52-8a4e-4a57-9a0e-2f0b7c1d9e11',
    sessionId: 's2',
    role: 'user',
    tenant: 'N2024001',
    secondFactorAt: null,
  };
  const manager = {} as EntityManager;
  const valid: AnnouncementDto = {
    title: ' Maintenance ',
    body: '<p>Tonight<script>x</script></p>',
    banner: true,
    from: '2026-05-01T00:00:00+09:00',
    to: '2026-05-02T00:00:00+09:00',
    audience: { services: ['edr', 'edr'], tenants: ['N2', 'N1'] },
  };

  let repository: jest.Mocked<Pick<AnnouncementsRepository, 'transaction' | 'insert' | 'dismiss'>>;
  let outbox: jest.Mocked<Pick<OutboxWriter, 'record'>>;
  let sut: AnnouncementsService;

  beforeEach(() => {
    repository = {
      transaction: jest.fn((work) => work(manager)) as never,
      insert: jest.fn().mockResolvedValue(undefined),
      dismiss: jest.fn(),
    };
    outbox = { record: jest.fn().mockResolvedValue({}) };
    const knowledge = { article: jest.fn().mockResolvedValue(null) } as unknown as KnowledgeRepository;
    const contracts = {
      listServices: jest.fn().mockResolvedValue([{ code: 'edr' }]),
    } as unknown as ContractsRepository;
    const ids = { uuid: () => 'a1' } as IdSource;
    sut = new AnnouncementsService(
      repository as unknown as AnnouncementsRepository,
      knowledge,
      contracts,
      outbox as unknown as OutboxWriter,
      new FakeClock(new Date('2026-04-01T00:00:00Z')),
      ids,
      { start: jest.fn() } as unknown as AnnouncementMail,
    );
  });

  it('stores a trimmed title, sanitised body, the window as times and a deduplicated audience, with its fact', async () => {
    const view = await sut.create(operator, valid);
    expect(view).toMatchObject({
      id: 'a1',
      title: 'Maintenance',
      body: '<p>Tonight</p>',
      article: null,
      from: '2026-04-30T15:00:00.000Z',
      to: '2026-05-01T15:00:00.000Z',
      audience: { all: false, tenants: ['N1', 'N2'], services: ['edr'] },
    });
    expect(outbox.record).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({
        type: 'case-management.announcement.created',
        actor: { userId: operator.id },
      }),
    );
  });

  it.each([
    [{ to: valid.from }, 'to'],
    [{ audience: { all: false } }, 'audience'],
    [{ audience: { services: ['ndr'] } }, 'audience.services'],
    [{ article: 'KB0000001' }, 'article'],
    [{ body: '<img src="https://x.example/a.png">' }, 'body'],
    [{ from: '0000-01-01T00:00:00Z' }, 'from'],
  ])('refuses %j naming %s, and writes nothing', async (change, field) => {
    const refusal = await sut
      .create(operator, { ...valid, ...change } as AnnouncementDto)
      .catch((e: unknown) => e);
    expect(refusal).toEqual(new DomainError(ErrorCode.ValidationFailed));
    expect(Object.keys((refusal as DomainError).details?.fields as object)).toEqual([field]);
    expect(repository.insert).not.toHaveBeenCalled();
  });

  it('answers 404 for an announcement the user does not see, and records a fact only for a first dismissal', async () => {
    repository.dismiss.mockResolvedValueOnce('not_found');
    await expect(sut.dismiss(customer, 'x')).rejects.toEqual(new DomainError(ErrorCode.NotFound));
    repository.dismiss.mockResolvedValueOnce('already');
    await sut.dismiss(customer, 'x');
    expect(outbox.record).not.toHaveBeenCalled();
    repository.dismiss.mockResolvedValueOnce('dismissed');
    await sut.dismiss(customer, 'x');
    expect(outbox.record).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({ type: 'case-management.announcement.dismissed', tenants: ['N2024001'] }),
    );
  });

  it('lets only operators publish', async () => {
    await expect(sut.create(customer, valid)).rejects.toEqual(new DomainError(ErrorCode.Forbidden));
  });
});
