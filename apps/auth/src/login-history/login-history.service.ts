import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import {
  AdminLoginHistoryQueryDto,
  DomainError,
  ErrorCode,
  LOGIN_HISTORY_DEFAULT_PAGE_SIZE,
  LOGIN_HISTORY_EXPORT_MAX_ROWS,
  LoginHistoryFile,
  LoginHistoryFileFormat,
  LoginHistoryPage,
  LoginHistoryQueryDto,
  Principal,
} from '@app/contracts';
import { CallerVerifier, isUuid } from '../users/caller-verifier';
import { ExportReader } from './export/history-table';
import { ExportSubject, LoginHistoryExporter } from './export/login-history-exporter';
import { knownTimeZone } from './export/zoned-time.util';
import { HistoryScope, HistoryWindow, LoginHistoryRepository } from './login-history.repository';

/**
 * Login history (AUTH-22): users read their own rows, tenant admins the rows of their active tenant
 * (AUTH-21: the active tenant only, checked against the database). JSON comes a page at a time;
 * files hold up to LOGIN_HISTORY_EXPORT_MAX_ROWS rows per page, in the reader's language and zone.
 */
@Injectable()
export class LoginHistoryService {
  constructor(
    private readonly history: LoginHistoryRepository,
    private readonly exporter: LoginHistoryExporter,
    private readonly callers: CallerVerifier,
    private readonly clock: Clock,
  ) {}

  async mine(principal: Principal | undefined, query: LoginHistoryQueryDto): Promise<LoginHistoryPage> {
    const caller = this.requireUser(principal);
    return this.page({ kind: 'user', userId: caller.id }, query);
  }

  async mineExport(principal: Principal | undefined, query: LoginHistoryQueryDto): Promise<LoginHistoryFile> {
    const caller = this.requireUser(principal);
    const reader = await this.readerOf(caller.id);
    return this.file({ kind: 'user', userId: caller.id }, query, reader, {
      scope: `User ${reader.loginId}`,
    });
  }

  async tenant(
    principal: Principal | undefined,
    query: AdminLoginHistoryQueryDto,
  ): Promise<LoginHistoryPage> {
    const { tenant } = await this.callers.tenantAdmin(principal);
    return this.page(tenantScope(tenant, query), query);
  }

  async tenantExport(
    principal: Principal | undefined,
    query: AdminLoginHistoryQueryDto,
  ): Promise<LoginHistoryFile> {
    const { principal: admin, tenant } = await this.callers.tenantAdmin(principal);
    const reader = await this.readerOf(admin.id);
    return this.file(tenantScope(tenant, query), query, reader, {
      scope: `Tenant ${tenant}`,
      fileTag: tenant,
    });
  }

  private async page(scope: HistoryScope, query: LoginHistoryQueryDto): Promise<LoginHistoryPage> {
    const window = windowOf(query);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? LOGIN_HISTORY_DEFAULT_PAGE_SIZE;
    const [items, total] = await Promise.all([
      this.history.list(scope, window, { offset: (page - 1) * pageSize, limit: pageSize }),
      this.history.count(scope, window),
    ]);
    return { items, total, page, pageSize };
  }

  private async file(
    scope: HistoryScope,
    query: LoginHistoryQueryDto,
    reader: ExportReader,
    subject: ExportSubject,
  ): Promise<LoginHistoryFile> {
    const format = fileFormatOf(query);
    const page = query.page ?? 1;
    const rows = await this.history.list(scope, windowOf(query), {
      offset: (page - 1) * LOGIN_HISTORY_EXPORT_MAX_ROWS,
      limit: LOGIN_HISTORY_EXPORT_MAX_ROWS,
    });
    return this.exporter.export(format, rows, reader, subject, this.clock.now());
  }

  private requireUser(principal: Principal | undefined): Principal {
    if (!principal) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    if (!isUuid(principal.id)) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    return principal;
  }

  /** The caller's language and time zone (AUTH-20), for the headers and times of their file. */
  private async readerOf(userId: string): Promise<ExportReader & { loginId: string }> {
    const row = await this.history.reader(userId);
    if (!row) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    return {
      loginId: row.user_id,
      language: row.language === 'en' ? 'en' : 'ja',
      timeZone: knownTimeZone(row.timezone),
    };
  }
}

function tenantScope(tenant: string, query: AdminLoginHistoryQueryDto): HistoryScope {
  return { kind: 'tenant', tenant, ...(query.userId ? { userId: query.userId } : {}) };
}

function windowOf(query: LoginHistoryQueryDto): HistoryWindow {
  return {
    ...(query.from ? { from: new Date(query.from) } : {}),
    ...(query.to ? { to: new Date(query.to) } : {}),
  };
}

function fileFormatOf(query: LoginHistoryQueryDto): LoginHistoryFileFormat {
  const format = query.format;
  if (format === 'csv' || format === 'xlsx' || format === 'pdf') {
    return format;
  }
  throw new DomainError(ErrorCode.ValidationFailed, {
    fields: { format: ['format must be csv, xlsx or pdf'] },
  });
}
