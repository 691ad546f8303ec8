import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, PasskeyView, Principal } from '@app/contracts';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccountRepository } from '../users/login-account.repository';
import { StepUpService } from '../flows/step-up.service';
import { UserNotices } from '../users/user-notices';
import { passkeyName } from './passkey-name.util';
import { passkeyView } from './passkey-view.util';
import { PasskeyRepository } from './passkey.repository';

/**
 * The caller's own passkeys: list, rename, delete (AUTH-10). Renaming and deleting change how one
 * signs in, so they need a fresh second step (AUTH-12). Another user's passkey id answers 404, as
 * an unknown one does: ids of others are neither shown nor confirmed.
 */
@Injectable()
export class PasskeyManagementService {
  constructor(
    private readonly passkeys: PasskeyRepository,
    private readonly accounts: LoginAccountRepository,
    private readonly stepUp: StepUpService,
    private readonly facts: AuditFacts,
    private readonly notices: UserNotices,
  ) {}

  async list(principal: Principal | undefined): Promise<PasskeyView[]> {
    if (!principal) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    return (await this.passkeys.listFor(principal.id)).map(passkeyView);
  }

  async rename(principal: Principal | undefined, id: string, rawName: unknown): Promise<PasskeyView> {
    await this.stepUp.require(principal, 'passkey.rename');
    const account = await this.accounts.ofCaller(principal);
    const name = passkeyName(rawName);
    return this.passkeys.transaction(async (manager) => {
      const renamed = await this.passkeys.rename(manager, account.user.id, id, name);
      if (!renamed) {
        throw new DomainError(ErrorCode.NotFound);
      }
      // The name is the user's own words: only the id goes to the audit trail.
      await this.facts.of(account, principal?.tenant).record(manager, {
        type: 'auth.passkey.renamed',
        target: { type: 'passkey', id },
        outcome: 'success',
      });
      return passkeyView(renamed);
    });
  }

  async remove(principal: Principal | undefined, id: string): Promise<void> {
    await this.stepUp.require(principal, 'passkey.delete');
    const account = await this.accounts.ofCaller(principal);
    await this.passkeys.transaction(async (manager) => {
      if (!(await this.passkeys.remove(manager, account.user.id, id))) {
        throw new DomainError(ErrorCode.NotFound);
      }
      await this.facts.of(account, principal?.tenant).record(manager, {
        type: 'auth.passkey.deleted',
        target: { type: 'passkey', id },
        outcome: 'success',
      });
    }); // The owner hears of it at the account's address, once the change has committed (NOTIF-3).
    await this.notices.send(this.notices.notice(account, 'mfa-changed', { change: 'passkey_removed' }));
  }
}
