import { describe, expect, it } from 'vitest';
import { messageQuery, NO_MESSAGE_FILTERS, normaliseRecipient, rangeIsValid } from './message-query';

describe('messageQuery', () => {
  it('leaves every empty filter out', () => {
    expect(messageQuery(NO_MESSAGE_FILTERS)).toEqual({});
    expect(messageQuery({ ...NO_MESSAGE_FILTERS, recipient: '   ', type: ' ' })).toEqual({});
  });

  it('sends recipient, type, status and the time range as the API reads them', () => {
    const query = messageQuery({
      recipient: ' Admin@Customer.Example ',
      type: 'Password-Reset-Link',
      status: 'delivered',
      from: '2026-05-01T09:00',
      to: '2026-05-02T09:00',
    });
    expect(query).toEqual({
      recipient: 'admin@customer.example',
      type: 'password-reset-link',
      status: 'delivered',
      from: new Date('2026-05-01T09:00').toISOString(),
      to: new Date('2026-05-02T09:00').toISOString(),
    });
  });

  it('drops a status the API does not know and a time that is not one', () => {
    expect(messageQuery({ ...NO_MESSAGE_FILTERS, status: 'lost' as never, from: 'yesterday' })).toEqual({});
  });
});

describe('normaliseRecipient', () => {
  it('turns a Japanese mobile number into E.164', () => {
    expect(normaliseRecipient('090-1234-5678')).toBe('+819012345678');
    expect(normaliseRecipient('+81 90 1234 5678')).toBe('+819012345678');
  });

  it('keeps an international number and lower-cases an address', () => {
    expect(normaliseRecipient('+14155550100')).toBe('+14155550100');
    expect(normaliseRecipient('Ta.Ro@Example.COM')).toBe('ta.ro@example.com');
  });
});

describe('rangeIsValid', () => {
  it('wants from before to, when both are given', () => {
    expect(rangeIsValid({ from: '2026-05-02T00:00', to: '2026-05-01T00:00' })).toBe(false);
    expect(rangeIsValid({ from: '2026-05-01T00:00', to: '2026-05-01T00:00' })).toBe(false);
    expect(rangeIsValid({ from: '2026-05-01T00:00', to: '2026-05-02T00:00' })).toBe(true);
    expect(rangeIsValid({ from: '2026-05-01T00:00', to: '' })).toBe(true);
  });
});
