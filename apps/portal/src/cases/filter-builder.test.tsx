import { fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { renderWithServices } from '../test/render';
import { caseQueryString, DEFAULT_SORT, type FilterGroups } from './filter';
import { FilterBuilder } from './filter-builder';

/** The builder with its state, showing the query string the list would send. */
function Harness() {
  const [groups, setGroups] = useState<FilterGroups>([]);
  return (
    <>
      <FilterBuilder
        groups={groups}
        onChange={setGroups}
        people={[{ value: '0b0e9f5e-7c55-4a53-9d36-1f6a3f1c2b10', label: 'Me (Hanako)' }]}
        services={[{ value: 'edr', label: 'EDR' }]}
      />
      <output data-testid="query">
        {caseQueryString({
          view: 'all',
          q: '',
          number: '',
          groups,
          sort: DEFAULT_SORT,
          page: 1,
          pageSize: 20,
        })}
      </output>
    </>
  );
}

function filterOf(): unknown {
  const params = new URLSearchParams(screen.getByTestId('query').textContent ?? '');
  const filter = params.get('filter');
  return filter ? JSON.parse(filter) : undefined;
}

describe('FilterBuilder', () => {
  it('builds conditions and OR groups into the filter the list sends', () => {
    renderWithServices(<Harness />, { language: 'en' });
    fireEvent.click(screen.getByRole('button', { name: 'Add a condition' }));
    // The first condition starts as "status = …", with the statuses to choose from.
    const first = 'condition 1 of group 1';
    expect(filterOf()).toBeUndefined();
    expect(screen.getByText('Enter a value; until then this condition is not used.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(`Value of ${first}`), { target: { value: 'resolved' } });
    expect(filterOf()).toEqual([[{ field: 'status', op: 'eq', value: 'resolved' }]]);

    fireEvent.click(screen.getByRole('button', { name: 'Add a condition' }));
    const second = 'condition 2 of group 1';
    fireEvent.change(screen.getByLabelText(`Field of ${second}`), { target: { value: 'created' } });
    fireEvent.change(screen.getByLabelText(`Operator of ${second}`), { target: { value: 'between' } });
    fireEvent.change(screen.getByLabelText(`Start of ${second}`), { target: { value: '2026-01-01' } });
    fireEvent.change(screen.getByLabelText(`End of ${second}`), { target: { value: '2026-01-31' } });

    fireEvent.click(screen.getByRole('button', { name: 'Add an “or” group' }));
    const other = 'condition 1 of group 2';
    fireEvent.change(screen.getByLabelText(`Field of ${other}`), { target: { value: 'subject' } });
    fireEvent.change(screen.getByLabelText(`Operator of ${other}`), { target: { value: 'notContains' } });
    fireEvent.change(screen.getByLabelText(`Value of ${other}`), { target: { value: 'test' } });

    expect(filterOf()).toEqual([
      [
        { field: 'status', op: 'eq', value: 'resolved' },
        { field: 'created', op: 'between', value: ['2026-01-01', '2026-01-31'] },
      ],
      [{ field: 'subject', op: 'notContains', value: 'test' }],
    ]);

    fireEvent.click(screen.getByRole('button', { name: `Remove ${first}` }));
    expect(filterOf()).toEqual([
      [{ field: 'created', op: 'between', value: ['2026-01-01', '2026-01-31'] }],
      [{ field: 'subject', op: 'notContains', value: 'test' }],
    ]);
  });

  it('offers only the operators a field takes, and another field for "same as"', () => {
    renderWithServices(<Harness />, { language: 'en' });
    fireEvent.click(screen.getByRole('button', { name: 'Add a condition' }));
    const label = 'condition 1 of group 1';
    fireEvent.change(screen.getByLabelText(`Field of ${label}`), { target: { value: 'watcher' } });
    const ops = [...(screen.getByLabelText(`Operator of ${label}`) as HTMLSelectElement).options].map(
      (o) => o.value,
    );
    expect(ops).toEqual(['eq', 'ne', 'in', 'nin', 'empty', 'notEmpty']);
    fireEvent.change(screen.getByLabelText(`Operator of ${label}`), { target: { value: 'empty' } });
    expect(filterOf()).toEqual([[{ field: 'watcher', op: 'empty' }]]);

    fireEvent.change(screen.getByLabelText(`Field of ${label}`), { target: { value: 'updated' } });
    fireEvent.change(screen.getByLabelText(`Operator of ${label}`), { target: { value: 'differentFrom' } });
    expect(filterOf()).toEqual([[{ field: 'updated', op: 'differentFrom', value: 'created' }]]);
  });
});
