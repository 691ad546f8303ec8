import { maskEmail, maskPhone } from './mask-destination.util';

describe('maskPhone', () => {
  it('keeps the country code and the last 4 digits', () => {
    expect(maskPhone('+819012345678')).toBe('+81******5678');
  });
  it('hides all but the first character of a short number', () => {
    expect(maskPhone('+12345')).toBe('+*****');
  });
});

describe('maskEmail', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('admin@example.com')).toBe('a***@example.com');
  });
  it('does not tell the length of the local part', () => {
    expect(maskEmail('a@example.com')).toBe(maskEmail('abcdefgh@example.com'));
  });
  it('shows nothing of a malformed address', () => {
    expect(maskEmail('no-at-sign')).toBe('***');
  });
});
