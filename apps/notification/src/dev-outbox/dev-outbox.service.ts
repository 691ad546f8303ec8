import { Injectable } from '@nestjs/common';
import { DevOutboxMessage, DomainError, ErrorCode } from '@app/contracts';
import { DevOutboxStore } from './dev-outbox.store';

/** Reading the development outbox: refused in production (API.md "Running"). */
@Injectable()
export class DevOutboxService {
  constructor(private readonly store: DevOutboxStore) {}

  async list(): Promise<DevOutboxMessage[]> {
    if (!this.store.enabled) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    return this.store.list();
  }
}
