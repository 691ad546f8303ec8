import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import {
  CreatedIntegrationView,
  CreateIntegrationDto,
  DomainError,
  ErrorCode,
  IntegrationKeyRecord,
  IntegrationView,
  Principal,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { operatorOf } from '../caller/case-caller';
import { IdSource } from '../common/id-source';
import { isUniqueViolation } from '../common/unique-violation.util';
import { ApiKeyGenerator } from './api-key.generator';
import { IntegrationKey, IntegrationsRepository } from './integrations.repository';

/**
 * Operators' API keys for integrations (CASE-9): created with scopes and optionally limited to some
 * tenants, shown once, kept as a hash, listed without secrets, revoked for good.
 */
@Injectable()
export class IntegrationKeysService {
  constructor(
    private readonly repository: IntegrationsRepository,
    private readonly generator: ApiKeyGenerator,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  async create(principal: Principal | undefined, dto: CreateIntegrationDto): Promise<CreatedIntegrationView> {
    const operator = operatorOf(principal);
    const name = dto.name.trim();
    if (name === '') {
      throw new DomainError(ErrorCode.ValidationFailed, { fields: { name: ['name must contain text'] } });
    }
    // A prefix clash (60 random bits) is next to impossible; one more draw settles it if it happens.
    for (let attempt = 0; ; attempt++) {
      const generated = this.generator.generate();
      const key: IntegrationKey = {
        id: this.ids.uuid(),
        name,
        prefix: generated.prefix,
        keyHash: generated.keyHash,
        scopes: [...dto.scopes].sort(),
        tenants: [...new Set(dto.tenants ?? [])].sort(),
        createdBy: operator.userId,
        createdAt: this.clock.now(),
        revokedAt: null,
      };
      try {
        await this.repository.transaction(async (manager) => {
          await this.repository.insertKey(manager, key);
          await this.outbox.record(manager, {
            type: 'case-management.integration.created',
            actor: { userId: operator.userId },
            target: { type: 'integration', id: key.id },
            outcome: 'success',
            reasons: key.scopes,
            ...(key.tenants.length > 0 ? { tenants: key.tenants } : {}),
          });
        });
      } catch (error) {
        if (attempt < 2 && isUniqueViolation(error)) {
          continue;
        }
        throw error;
      }
      return { ...integrationView(key), apiKey: generated.key };
    }
  }

  async list(principal: Principal | undefined): Promise<IntegrationView[]> {
    operatorOf(principal);
    return (await this.repository.listKeys()).map(integrationView);
  }

  /** Revokes a key; revoking a revoked key again answers it unchanged (a retry after a lost answer). */
  async revoke(principal: Principal | undefined, id: string): Promise<IntegrationView> {
    const operator = operatorOf(principal);
    const key = await this.repository.transaction(async (manager) => {
      const found = await this.repository.keyById(id, manager);
      if (!found) {
        throw new DomainError(ErrorCode.NotFound);
      }
      if (found.revokedAt !== null) {
        return found;
      }
      const at = this.clock.now();
      await this.repository.revokeKey(manager, id, at);
      await this.outbox.record(manager, {
        type: 'case-management.integration.revoked',
        actor: { userId: operator.userId },
        target: { type: 'integration', id },
        outcome: 'success',
        ...(found.tenants.length > 0 ? { tenants: found.tenants } : {}),
      });
      return { ...found, revokedAt: at };
    });
    return integrationView(key);
  }

  /** For the gateway's key check: the hash, scopes and tenants behind a prefix, or null. */
  async record(prefix: string): Promise<IntegrationKeyRecord | null> {
    const key = await this.repository.keyByPrefix(prefix);
    if (!key) {
      return null;
    }
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      keyHash: key.keyHash,
      scopes: key.scopes,
      tenants: key.tenants,
      revoked: key.revokedAt !== null,
    };
  }
}

export function integrationView(key: IntegrationKey): IntegrationView {
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopes,
    tenants: key.tenants,
    prefix: key.prefix,
    createdAt: new Date(key.createdAt).toISOString(),
    revokedAt: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
  };
}
