import { CaseManagementEnv } from '@app/config';
import { DomainError, ErrorCode, Principal } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { RpcClient } from '@app/messaging';
import { FakeClock } from '@app/testing';
import { AttachmentsRepository } from '../attachments/attachments.repository';
import { CasesRepository } from '../cases/cases.repository';
import { CategoriesRepository } from '../categories/categories.repository';
import { IdSource } from '../common/id-source';
import { ContractsRepository } from '../contracts/contracts.repository';
import { WorkRequestMail } from './work-request-mail';
import { WorkRequest } from './work-request.entity';
import { WorkRequestsRepository } from './work-requests.repository';
import { WorkRequestsService } from './work-requests.service';

const OPERATOR: Principal = {
  id: '00000000-0000-4000-8000-00000000000a',
  sessionId: 's',
  tenant: null,
  role: 'operator',
  secondFactorAt: null,
} as Principal;
const CUSTOMER: Principal = {
  ...OPERATOR,
  id: '00000000-0000-4000-8000-00000000000b',
  tenant: 'N1',
  role: 'user',
};

function request(overrides: Partial<WorkRequest> = {}): WorkRequest {
  return {
    id: '00000000-0000-4000-8000-0000000000c1',
    tenantNumber: 'N1',
    itemId: '00000000-0000-4000-8000-0000000000d1',
    itemCode: 'WR-001',
    itemNameJa: 'URLブロック',
    itemNameEn: 'URL block',
    serviceCode: 'edr',
    form: [{ key: 'url', label: { ja: 'URL', en: 'URL' }, type: 'text', required: true }],
    answers: { url: 'https://x.example/<b>' },
    requesterId: CUSTOMER.id,
    requesterName: 'Sato',
    requesterLanguage: 'ja',
    status: 'submitted',
    submittedAt: new Date('2026-06-01T00:00:00Z'),
    decidedAt: null,
    decidedBy: null,
    reason: null,
    caseId: null,
    caseNumber: null,
    ...overrides,
  };
}

describe(WorkRequestsService.name, () => {
  let log: string[];
  let found: WorkRequest | null;
  let requests: Record<string, jest.Mock>;
  let cases: Record<string, jest.Mock>;
  let attachments: Record<string, jest.Mock>;
  let outbox: { record: jest.Mock };
  let mail: Record<string, jest.Mock>;
  let sut: WorkRequestsService;

  beforeEach(() => {
    log = [];
    found = request();
    let n = 0;
    const ids: IdSource = { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
    requests = {
      transaction: jest.fn(async (work: (m: unknown) => Promise<unknown>) => {
        log.push('begin');
        const result = await work({});
        log.push('commit');
        return result;
      }),
      lockRequest: jest.fn(() => Promise.resolve(found)),
      decide: jest.fn(() => Promise.resolve(log.push('decide'))),
      activeItemFor: jest.fn(),
      insertRequest: jest.fn(),
    };
    cases = {
      insertCase: jest.fn(() => Promise.resolve('CS0000007')),
      addSearchText: jest.fn(),
      insertActivity: jest.fn(),
    };
    attachments = {
      adoptIntoCase: jest.fn(() => {
        log.push('adopt');
        return Promise.resolve([{ id: 'f1', name: 'a.txt', size: 3, contentType: 'text/plain' }]);
      }),
    };
    outbox = { record: jest.fn(() => Promise.resolve()) };
    mail = {
      received: jest.fn(),
      accepted: jest.fn(() => Promise.resolve(log.push('mail'))),
      rejected: jest.fn(() => Promise.resolve(log.push('mail'))),
    };
    sut = new WorkRequestsService(
      requests as unknown as WorkRequestsRepository,
      cases as unknown as CasesRepository,
      {
        contractFor: jest.fn(() => Promise.resolve({ contractor: 'Acme', serviceCode: 'edr' })),
      } as unknown as ContractsRepository,
      { find: jest.fn(() => Promise.resolve({ code: 'work_request' })) } as unknown as CategoriesRepository,
      attachments as unknown as AttachmentsRepository,
      outbox as unknown as OutboxWriter,
      { send: jest.fn() } as unknown as RpcClient,
      new FakeClock(new Date('2026-06-02T00:00:00Z')),
      ids,
      mail as unknown as WorkRequestMail,
      { CASE_PROVIDER_NAME: 'SOC' } as CaseManagementEnv,
    );
  });

  it('opens the case, adopts the files and decides in one transaction, then mails', async () => {
    await expect(sut.accept(OPERATOR, found!.id)).resolves.toEqual({ caseNumber: 'CS0000007' });

    const [, record] = cases.insertCase.mock.calls[0] as [unknown, Record<string, unknown>];
    expect(record).toMatchObject({
      tenantNumber: 'N1',
      categoryCode: 'work_request',
      subject: 'URLブロック',
      origin: 'work_request',
      requesterId: CUSTOMER.id,
      requesterName: 'Sato',
      countsAsInquiry: false,
    });
    // The submitted text is escaped into the description, never taken as markup.
    expect(record.description).toContain('https://x.example/&lt;b&gt;');
    expect(attachments.adoptIntoCase).toHaveBeenCalledWith({}, 'N1', found!.id, record.id);
    expect(requests.decide).toHaveBeenCalledWith(
      {},
      found!.id,
      expect.objectContaining({ status: 'accepted', caseNumber: 'CS0000007' }),
    );
    expect(outbox.record.mock.calls.map(([, fact]) => (fact as { type: string }).type)).toEqual([
      'case-management.case.created',
      'case-management.work_request.accepted',
    ]);
    expect(log).toEqual(['begin', 'adopt', 'decide', 'commit', 'mail']);
  });

  it.each(['accepted', 'rejected'] as const)('refuses to accept a request already %s', async (status) => {
    found = request({ status, decidedAt: new Date(), reason: 'r', caseNumber: 'CS0000001' });
    const error = await sut.accept(OPERATOR, found.id).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe(ErrorCode.InvalidTransition);
    expect(cases.insertCase).not.toHaveBeenCalled();
    expect(requests.decide).not.toHaveBeenCalled();
    expect(mail.accepted).not.toHaveBeenCalled();
  });

  it("answers 404 for a request the caller's scope does not hold", async () => {
    found = null;
    const error = await sut.reject(OPERATOR, 'x', 'no', 'en').catch((e: unknown) => e);
    expect((error as DomainError).code).toBe(ErrorCode.NotFound);
  });

  it('refuses a submission that does not fit the form, naming the field, and keeps nothing', async () => {
    requests.activeItemFor.mockResolvedValue({
      id: found!.itemId,
      code: 'WR-001',
      fields: found!.form,
      serviceCode: 'edr',
    });
    const error = await sut
      .submit(CUSTOMER, { itemId: found!.itemId, fields: { url: 12 } }, 'en')
      .catch((e: unknown) => e);
    expect((error as DomainError).code).toBe(ErrorCode.ValidationFailed);
    expect((error as DomainError).details).toEqual({ fields: { 'fields.url': ['must be text'] } });
    expect(requests.insertRequest).not.toHaveBeenCalled();
    expect(mail.received).not.toHaveBeenCalled();
  });

  it('refuses operators where customers act, and customers where operators act', async () => {
    await expect(sut.submit(OPERATOR, { itemId: 'x', fields: {} }, 'en')).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    await expect(sut.accept(CUSTOMER, 'x')).rejects.toMatchObject({ code: ErrorCode.Forbidden });
  });
});
