import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode, MethodOption } from '@app/contracts';
import { SecretBox } from '../crypto/secret-box';
import { actingTenantOf } from '../flows/acting-tenant.util';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginFlow } from '../flows/login-flow.entity';
import { SecondStepCheck } from '../flows/second-step-method';
import { SecondStepMethods } from '../flows/second-step-methods';
import { TotpCodes } from './totp-codes';
import { TotpRepository } from './totp.repository';

/**
 * The `totp` second step (AUTH-8) for login and step-up flows: offered once the user's authenticator
 * app is enabled; nothing to send (no challenge); a code is right within ±1 step and only for a time
 * step newer than the last one accepted, so every code works at most once, even when sent twice at
 * the same moment (the step moves forward in one conditional UPDATE).
 */
@Injectable()
export class TotpSecondStepService implements OnModuleInit {
  constructor(
    private readonly totp: TotpRepository,
    private readonly methods: SecondStepMethods,
    private readonly codes: TotpCodes,
    private readonly box: SecretBox,
    private readonly facts: AuditFacts,
  ) {}

  onModuleInit(): void {
    this.methods.register({
      type: 'totp',
      offer: (account) => this.offer(account),
      verify: (manager, flow, account, code, now) => this.check(manager, flow, account, code, now),
    });
  }

  private async offer(account: LoginAccount): Promise<MethodOption | null> {
    const enabled = account.preloaded?.totpEnabled ?? (await this.totp.hasEnabled(account.user.id));
    return enabled ? { type: 'totp' } : null;
  }

  /** Inside SecondStepService's verify transaction (account lockout row and flow row held). */
  private async check(
    manager: EntityManager,
    flow: LoginFlow,
    account: LoginAccount,
    code: string | undefined,
    now: Date,
  ): Promise<SecondStepCheck> {
    if (code === undefined || code === '') {
      throw new DomainError(ErrorCode.ValidationFailed, { fields: { code: ['code is required for totp'] } });
    }
    const userId = account.user.id;
    const credential = await this.totp.findEnabled(manager, userId);
    if (!credential) {
      // Disabled (or reset) since the flow offered it.
      throw new DomainError(ErrorCode.MethodNotAvailable);
    }
    const step = await this.codes.stepOf(this.box.open(credential.secretEnc, userId), code, now);
    if (step === null) {
      return { ok: false };
    }
    // Replay protection: only a step newer than the last accepted one, moved forward atomically, so
    // of two verifies with the same code exactly one sees its UPDATE take effect.
    if (!(await this.totp.advanceStep(manager, userId, step))) {
      const facts = this.facts.of(account, await actingTenantOf(manager, flow));
      await facts.record(manager, {
        type: 'auth.totp.replay_refused',
        target: { type: 'login_flow', id: flow.id },
        outcome: 'denied',
        reasons: ['totp_step_used'],
      });
      return { ok: false };
    }
    return { ok: true };
  }
}
