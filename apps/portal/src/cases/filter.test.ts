import { describe, expect, it } from 'vitest';
import {
  caseQueryString,
  comparableFields,
  DEFAULT_SORT,
  FILTER_FIELDS,
  FILTER_OPS,
  filterParam,
  opsFor,
  parseFilterParam,
  parseSort,
  toggleSort,
  withField,
  withOp,
  type CaseQuery,
  type Condition,
  type FilterGroups,
} from './filter';

const base: CaseQuery = {
  view: 'all',
  q: '',
  number: '',
  groups: [],
  sort: DEFAULT_SORT,
  page: 1,
  pageSize: 20,
};

const c = (field: Condition['field'], op: Condition['op'], value = '', to = ''): Condition => ({
  field,
  op,
  value,
  to,
});

describe('the case list query', () => {
  it('sends only the page for the default list', () => {
    expect(caseQueryString(base)).toBe('page=1&pageSize=20');
  });

  it('sends the view, keyword, number, sort and the filter as URL-encoded JSON', () => {
    const groups: FilterGroups = [
      [c('status', 'in', 'new,in_progress'), c('updated', 'gte', '2026-01-01')],
      [c('subject', 'contains', 'VPN')],
    ];
    const query = caseQueryString({
      ...base,
      view: 'action_required',
      q: '  ログイン ',
      number: 'cs00012',
      groups,
      sort: [
        { field: 'updated', descending: true },
        { field: 'number', descending: false },
      ],
      page: 3,
    });
    const params = new URLSearchParams(query);
    expect(params.get('view')).toBe('action_required');
    expect(params.get('q')).toBe('ログイン');
    expect(params.get('number')).toBe('CS00012');
    expect(params.get('sort')).toBe('-updated,number');
    expect(params.get('page')).toBe('3');
    expect(JSON.parse(params.get('filter') ?? '')).toEqual([
      [
        { field: 'status', op: 'in', value: ['new', 'in_progress'] },
        { field: 'updated', op: 'gte', value: '2026-01-01' },
      ],
      [{ field: 'subject', op: 'contains', value: 'VPN' }],
    ]);
    // The JSON travels encoded: no raw brackets or quotes in the address.
    expect(query).toContain('filter=%5B%5B%7B%22field%22');
  });

  it('leaves out a one-character keyword and a number the API would refuse', () => {
    const params = new URLSearchParams(caseQueryString({ ...base, q: 'a', number: 'X12' }));
    expect(params.has('q')).toBe(false);
    expect(params.has('number')).toBe(false);
  });

  it('writes each operator in the shape the API reads', () => {
    const groups: FilterGroups = [
      [
        c('number', 'eq', 'CS0000001'),
        c('number', 'ne', 'CS0000002'),
        c('category', 'nin', 'fault, other'),
        c('requester', 'empty'),
        c('contractor', 'notEmpty'),
        c('created', 'lt', '2026-02-01'),
        c('created', 'gt', '2025-01-01'),
        c('updated', 'lte', '2026-03-01'),
        c('created', 'between', '2026-01-01', '2026-01-31'),
        c('subject', 'notContains', 'test'),
        c('subject', 'startsWith', '【'),
        c('contractor', 'sameAs', 'subject'),
        c('created', 'differentFrom', 'updated'),
      ],
    ];
    expect(JSON.parse(filterParam(groups) ?? '')).toEqual([
      [
        { field: 'number', op: 'eq', value: 'CS0000001' },
        { field: 'number', op: 'ne', value: 'CS0000002' },
        { field: 'category', op: 'nin', value: ['fault', 'other'] },
        { field: 'requester', op: 'empty' },
        { field: 'contractor', op: 'notEmpty' },
        { field: 'created', op: 'lt', value: '2026-02-01' },
        { field: 'created', op: 'gt', value: '2025-01-01' },
        { field: 'updated', op: 'lte', value: '2026-03-01' },
        { field: 'created', op: 'between', value: ['2026-01-01', '2026-01-31'] },
        { field: 'subject', op: 'notContains', value: 'test' },
        { field: 'subject', op: 'startsWith', value: '【' },
        { field: 'contractor', op: 'sameAs', value: 'subject' },
        { field: 'created', op: 'differentFrom', value: 'updated' },
      ],
    ]);
  });

  it('sends no incomplete condition and no empty group', () => {
    expect(
      filterParam([[c('subject', 'contains', ' ')], [c('created', 'between', '2026-01-01')]]),
    ).toBeUndefined();
    expect(JSON.parse(filterParam([[c('status', 'eq', '')], [c('status', 'eq', 'new')]]) ?? '')).toEqual([
      [{ field: 'status', op: 'eq', value: 'new' }],
    ]);
  });
});

describe('the operators offered', () => {
  it('covers every operator of CASE-8 on text fields, and only what applies elsewhere', () => {
    expect(opsFor('subject')).toEqual([...FILTER_OPS]);
    expect(opsFor('created')).not.toContain('contains');
    expect(opsFor('created')).toContain('between');
    expect(opsFor('watcher')).toEqual(['eq', 'ne', 'in', 'nin', 'empty', 'notEmpty']);
    const offered = new Set(FILTER_FIELDS.flatMap(opsFor));
    expect([...FILTER_OPS].every((op) => offered.has(op))).toBe(true);
  });

  it('compares a field only with fields of its kind', () => {
    expect(comparableFields('created')).toEqual(['updated']);
    expect(comparableFields('subject')).not.toContain('created');
    expect(comparableFields('subject')).not.toContain('subject');
  });

  it('keeps an operator that still applies when the field changes, and resets one that does not', () => {
    expect(withField(c('subject', 'contains', 'x'), 'contractor')).toEqual(c('contractor', 'contains'));
    expect(withField(c('subject', 'contains', 'x'), 'created').op).toBe('eq');
    expect(withOp(c('created', 'eq', '2026-01-01'), 'sameAs').value).toBe('updated');
    expect(withOp(c('created', 'sameAs', 'updated'), 'eq').value).toBe('');
  });
});

describe('saved filters and sort', () => {
  it('reads a saved filter back into the builder', () => {
    const groups: FilterGroups = [
      [c('status', 'in', 'new, resolved'), c('created', 'between', '2026-01-01', '2026-02-01')],
      [c('requester', 'notEmpty')],
    ];
    expect(parseFilterParam(filterParam(groups))).toEqual(groups);
    expect(parseFilterParam('not json')).toEqual([]);
    expect(parseFilterParam('[[{"field":"nope","op":"eq","value":"x"}]]')).toEqual([]);
  });

  it('sorts by a clicked column, flips it on a second click, and adds keys with Shift', () => {
    let sort = toggleSort(DEFAULT_SORT, 'number');
    expect(sort).toEqual([{ field: 'number', descending: false }]);
    sort = toggleSort(sort, 'number');
    expect(sort).toEqual([{ field: 'number', descending: true }]);
    sort = toggleSort(sort, 'status', true);
    expect(sort).toEqual([
      { field: 'number', descending: true },
      { field: 'status', descending: false },
    ]);
    expect(parseSort('-updated,number,bogus')).toEqual([
      { field: 'updated', descending: true },
      { field: 'number', descending: false },
    ]);
    expect(parseSort(null)).toEqual(DEFAULT_SORT);
  });
});
