import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, MethodOption, VerifyMethod } from '@app/contracts';
import { LoginAccount } from '../users/login-account';
import { SecondStepMethod } from './second-step-method';

/** The order methods are listed in; the first offer marked `default` stays the default. */
const ORDER: readonly VerifyMethod[] = ['sms', 'email', 'totp', 'push'];

/** Registry of the second-step methods (see SecondStepMethod). */
@Injectable()
export class SecondStepMethods {
  private readonly methods = new Map<VerifyMethod, SecondStepMethod>();

  register(method: SecondStepMethod): void {
    this.methods.set(method.type, method);
  }

  /** The method, or `method_not_available` when none of that type is registered. */
  get(type: VerifyMethod): SecondStepMethod {
    const method = this.methods.get(type);
    if (!method) {
      throw new DomainError(ErrorCode.MethodNotAvailable);
    }
    return method;
  }

  /** Every method this account can use, in a stable order, exactly one marked default. */
  async offers(account: LoginAccount, tenant?: string | null): Promise<MethodOption[]> {
    const offers: MethodOption[] = [];
    for (const type of ORDER) {
      const option = await this.methods.get(type)?.offer(account, tenant);
      if (option) {
        offers.push(option);
      }
    }
    let seenDefault = false;
    for (const option of offers) {
      if (option.default && !seenDefault) {
        seenDefault = true;
      } else if (option.default) {
        option.default = false;
      }
    }
    if (!seenDefault && offers.length > 0) {
      offers[0].default = true;
    }
    return offers;
  }

  /** Whether the account can use this method now (an offered method). */
  async offered(account: LoginAccount, type: VerifyMethod): Promise<boolean> {
    return (await this.methods.get(type)?.offer(account)) != null;
  }
}
