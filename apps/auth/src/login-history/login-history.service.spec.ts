import { Clock } from '@app/config';
import { ErrorCode, LoginHistoryFile, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { CallerVerifier } from '../users/caller-verifier';
import { LoginHistoryExporter } from './export/login-history-exporter';
import { LoginHistoryRepository } from './login-history.repository';
import { LoginHistoryService } from './login-history.service';

describe(LoginHistoryService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const alice = { id: '6f1c7c1e-3a52-4d0e-9a39-7d3f2b1d6a11', tenant: 'N1' } as Principal;
  let sut: LoginHistoryService;
  let history: MockOf<LoginHistoryRepository>;
  let exporter: MockOf<LoginHistoryExporter>;
  let callers: MockOf<CallerVerifier>;

  beforeEach(async () => {
    const t = await newTestService(LoginHistoryService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    history = t.mock(LoginHistoryRepository);
    history.list.mockResolvedValue([]);
    history.count.mockResolvedValue(0);
    history.reader.mockResolvedValue({ user_id: 'alice', language: 'en', timezone: null });
    exporter = t.mock(LoginHistoryExporter);
    exporter.export.mockResolvedValue({ fileName: 'f.csv' } as unknown as LoginHistoryFile);
    callers = t.mock(CallerVerifier);
    callers.tenantAdmin.mockResolvedValue({ principal: alice, tenant: 'N1' });
  });

  it('refuses a request without a caller, and a caller who is not a user (an API key)', async () => {
    await expect(sut.mine(undefined, {})).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
    await expect(sut.mine({ id: 'key:1' } as Principal, {})).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    expect(history.list).not.toHaveBeenCalled();
  });

  it('pages the caller’s own rows, 50 at a time by default (AUTH-22)', async () => {
    history.count.mockResolvedValue(120);
    const page = await sut.mine(alice, { page: 3, from: '2025-12-01T00:00:00Z' });
    const scope = { kind: 'user', userId: alice.id };
    const window = { from: new Date('2025-12-01T00:00:00Z') };
    expect(history.list).toHaveBeenCalledWith(scope, window, { offset: 100, limit: 50 });
    expect(history.count).toHaveBeenCalledWith(scope, window);
    expect(page).toEqual({ items: [], total: 120, page: 3, pageSize: 50 });
  });

  it('reads an admin’s active tenant only, narrowed to one user when asked (AUTH-21)', async () => {
    await sut.tenant(alice, { userId: 'u2' });
    expect(history.list).toHaveBeenCalledWith(
      { kind: 'tenant', tenant: 'N1', userId: 'u2' },
      {},
      { offset: 0, limit: 50 },
    );
  });

  it('refuses a file format it cannot write', async () => {
    await expect(sut.mineExport(alice, { format: 'json' } as never)).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
    });
    expect(exporter.export).not.toHaveBeenCalled();
  });

  it('refuses a file to a caller whose account is gone', async () => {
    history.reader.mockResolvedValue(null);
    await expect(sut.mineExport(alice, { format: 'csv' })).rejects.toMatchObject({
      code: ErrorCode.Unauthorized,
    });
  });

  it('writes the file in the reader’s language and Tokyo time when they chose no zone', async () => {
    await sut.tenantExport(alice, { format: 'csv', page: 2 });
    expect(history.list).toHaveBeenCalledWith(
      { kind: 'tenant', tenant: 'N1' },
      {},
      { offset: 1000, limit: 1000 },
    );
    expect(exporter.export).toHaveBeenCalledWith(
      'csv',
      [],
      { loginId: 'alice', language: 'en', timeZone: 'Asia/Tokyo' },
      { scope: 'Tenant N1', fileTag: 'N1' },
      clock.now(),
    );
  });
});
