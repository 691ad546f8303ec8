import { CASE_STATUSES, CaseStatus, OPERATOR_STATUSES } from '@app/contracts';
import { availableActions, customerTransition, operatorMayMove } from './case-status';

describe('case status machine (CASE-5)', () => {
  it('lets a customer close every open status but resolved, and nothing once closed', () => {
    const expected: Record<CaseStatus, CaseStatus | null> = {
      new: 'closed',
      in_progress: 'closed',
      awaiting_customer: 'closed',
      resolved: null,
      closed: null,
    };
    for (const status of CASE_STATUSES) {
      expect([status, customerTransition(status, 'close')]).toEqual([status, expected[status]]);
    }
  });

  it('lets a customer approve or reject only a resolved case', () => {
    for (const status of CASE_STATUSES) {
      expect(customerTransition(status, 'approve')).toBe(status === 'resolved' ? 'closed' : null);
      expect(customerTransition(status, 'reject')).toBe(status === 'resolved' ? 'in_progress' : null);
    }
  });

  it('lets an operator move any open, unresolved case to another status, closed included', () => {
    for (const status of CASE_STATUSES) {
      for (const target of OPERATOR_STATUSES) {
        const allowed = status !== 'closed' && status !== 'resolved' && status !== target;
        expect([status, target, operatorMayMove(status, target)]).toEqual([status, target, allowed]);
      }
    }
  });

  it('offers the actions the rules allow', () => {
    expect(availableActions('new', 'customer')).toEqual(['comment', 'attach', 'close']);
    expect(availableActions('resolved', 'customer')).toEqual(['comment', 'attach', 'approve', 'reject']);
    expect(availableActions('resolved', 'operator')).toEqual(['comment', 'attach']);
    expect(availableActions('closed', 'customer')).toEqual([]);
    expect(availableActions('closed', 'operator')).toEqual([]);
  });
});
