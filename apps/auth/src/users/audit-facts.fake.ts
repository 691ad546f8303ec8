import { AuditActor } from '@app/contracts';
import { MockOf, TestService } from '@app/testing';
import { AuditFacts, FactRecorder } from './audit-facts';

/** The recorder every `AuditFacts.of…` hands back in a unit spec: its `record` calls are the facts. */
export interface RecordedFacts {
  auditFacts: MockOf<AuditFacts>;
  facts: { record: jest.Mock; actor?: AuditActor };
}

/**
 * Arranges the AuditFacts mock of `t`'s service so that `of`, `ofAdmin` and `ofOperator` all hand
 * back one recorder (acting as `actor` when the rule reads it), and returns both for assertions.
 */
export function recordedFacts(t: TestService<unknown>, actor?: AuditActor): RecordedFacts {
  const facts = { record: jest.fn(), ...(actor ? { actor } : {}) };
  const auditFacts = t.mock(AuditFacts);
  const recorder = facts as unknown as FactRecorder;
  auditFacts.of.mockReturnValue(recorder);
  auditFacts.ofAdmin.mockReturnValue(recorder);
  auditFacts.ofOperator.mockReturnValue(recorder);
  return { auditFacts, facts };
}
