import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallContext } from '@app/contracts';
import { LoginAccount } from '../login-flow/login-account';

/** Trusted browsers (AUTH-9). */
@Injectable()
export class TrustedBrowsersService {
  /**
   * Registers the browser of `ctx` as trusted by this account under `name`, inside the login's
   * transaction, and returns the device token for the response field and the cookie.
   */
  async issue(
    _manager: EntityManager,
    _account: LoginAccount,
    _name: string,
    _ctx: CallContext,
  ): Promise<string | undefined> {
    return undefined;
  }
}
