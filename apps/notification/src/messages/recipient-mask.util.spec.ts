import { maskRecipient, maskRecipients } from './recipient-mask.util';

describe('maskRecipient', () => {
  it('shows enough to recognise an address, never enough to write to it', () => {
    expect(maskRecipient('taro.yamada@Example.COM')).toBe('ta***@example.com');
    expect(maskRecipient('ab@example.com')).toBe('a***@example.com');
    expect(maskRecipient('+819012345678')).toBe('+81 90-****-5678');
    expect(maskRecipient('+14155550123')).toBe('+14 ****-0123');
    expect(maskRecipient('123')).toBe('****');
    expect(maskRecipients(['a1234@x.jp', '+818011112222'])).toBe('a1***@x.jp, +81 80-****-2222');
  });
});
