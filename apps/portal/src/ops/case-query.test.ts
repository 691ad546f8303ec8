import { describe, expect, it } from 'vitest';
import { statusChoices } from './case-page';
import { caseListQuery } from './case-query';

describe('caseListQuery', () => {
  it('puts the tenant and status into one AND group of the filter', () => {
    const query = caseListQuery({ tenant: 'n202400003', status: 'in_progress', q: '', page: 2 });
    expect(query).toEqual({
      sort: '-updated',
      page: 2,
      pageSize: 20,
      filter: JSON.stringify([
        [
          { field: 'tenant', op: 'eq', value: 'N202400003' },
          { field: 'status', op: 'eq', value: 'in_progress' },
        ],
      ]),
    });
  });

  it('reads "open" as not closed, and sends a keyword only from 2 characters', () => {
    expect(caseListQuery({ tenant: '', status: 'open', q: 'x', page: 1 })).toEqual({
      sort: '-updated',
      page: 1,
      pageSize: 20,
      filter: JSON.stringify([[{ field: 'status', op: 'ne', value: 'closed' }]]),
    });
    expect(caseListQuery({ tenant: '', status: '', q: ' 障害 ', page: 1 })).toEqual({
      sort: '-updated',
      page: 1,
      pageSize: 20,
      q: '障害',
    });
  });
});

describe('statusChoices', () => {
  it('offers every other operator status while the API offers close', () => {
    expect(statusChoices({ status: 'new', availableActions: ['comment', 'attach', 'close'] })).toEqual([
      'in_progress',
      'awaiting_customer',
      'resolved',
      'closed',
    ]);
    expect(
      statusChoices({ status: 'in_progress', availableActions: ['comment', 'attach', 'close'] }),
    ).toEqual(['awaiting_customer', 'resolved', 'closed']);
  });

  it('offers nothing on a resolved or closed case', () => {
    expect(statusChoices({ status: 'resolved', availableActions: ['comment', 'attach'] })).toEqual([]);
    expect(statusChoices({ status: 'closed', availableActions: [] })).toEqual([]);
  });
});
