import { OutboxWriter } from '@app/database';
import { AuditFacts } from './audit-facts';

/** The outbox as a service's unit spec sees it: what was written is read from the mocks' calls. */
export interface MockedOutbox {
  record: jest.Mock;
  /** Answers the facts it was given, as when every one of them was written. */
  recordAll: jest.Mock;
}

/**
 * The real AuditFacts over a mocked outbox writer: a spec checks the facts as the outbox receives
 * them, with the actor and tenants fields AuditFacts fills in, without a database.
 */
export function auditFactsOverMockedOutbox(): { outbox: MockedOutbox; facts: AuditFacts } {
  const outbox: MockedOutbox = {
    record: jest.fn(),
    recordAll: jest.fn(async (_manager: unknown, events: unknown[]) => events),
  };
  return { outbox, facts: new AuditFacts(outbox as unknown as OutboxWriter) };
}
