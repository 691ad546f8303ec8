import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Sessions and tokens (AUTH-15). OWNED BY THE LOGIN ENGINEER; the signature below is the agreed
 * contract the accounts side calls when a password reset completes.
 */
@Injectable()
export class SessionsService {
  /** Ends every session of a user (inside `manager`'s transaction when given) and marks them revoked in Redis after commit. */
  async revokeAllForUser(_userId: string, _reason: string, _manager?: EntityManager): Promise<void> {
    throw new Error('not implemented');
  }
}
