import { describe, expect, it } from 'vitest';
import { workRequestFields } from './work-requests-page';

describe('workRequestFields', () => {
  it('sends numbers as numbers and leaves empty fields out', () => {
    const fields = [
      { key: 'host', label: 'Host', type: 'text' as const, required: true },
      { key: 'count', label: 'Count', type: 'number' as const, required: false },
      { key: 'note', label: 'Note', type: 'textarea' as const, required: false },
    ];
    expect(workRequestFields(fields, { host: ' pc-01 ', count: '3', note: '  ' })).toEqual({
      host: 'pc-01',
      count: 3,
    });
  });
});
