import { DomainError } from '@app/contracts';
import { orderByOf } from './case-list-query';

describe('orderByOf', () => {
  it('sorts the newest first by default, the case number breaking ties', () => {
    expect(orderByOf(undefined)).toBe('c.updated_at DESC, c.number ASC');
  });

  it('leaves NOT NULL columns without a NULLS clause, so the order is the one their indexes hold', () => {
    // updated_at DESC is NULLS FIRST to PostgreSQL, like the case_updated index: a NULLS LAST here
    // would make the first page sort the whole table.
    expect(orderByOf('-updated')).toBe('c.updated_at DESC, c.number ASC');
    expect(orderByOf('tenant,-created')).toBe('c.tenant_number ASC, c.created_at DESC, c.number ASC');
  });

  it('puts cases without a requester last in both directions', () => {
    expect(orderByOf('requester')).toBe('c.requester_name ASC NULLS LAST, c.number ASC');
    expect(orderByOf('-requester')).toBe('c.requester_name DESC NULLS LAST, c.number ASC');
  });

  it('keeps an explicit number key instead of adding another', () => {
    expect(orderByOf('-number')).toBe('c.number DESC');
  });

  it.each(['', 'updated,', '-', 'secret', 'updated,updated'])('refuses the sort %j', (sort) => {
    expect(() => orderByOf(sort)).toThrow(DomainError);
  });
});
