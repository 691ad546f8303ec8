import { DomainError, ErrorCode } from '@app/contracts';
import { canonicalTimeZone } from './time-zone.util';

describe(canonicalTimeZone.name, () => {
  it.each([
    ['Asia/Tokyo', 'Asia/Tokyo'],
    ['asia/tokyo', 'Asia/Tokyo'],
    ['Europe/London', 'Europe/London'],
    ['UTC', 'UTC'],
    ['Etc/GMT+9', 'Etc/GMT+9'],
  ])('keeps the IANA zone %p as %p', (input, zone) => {
    expect(canonicalTimeZone(input)).toBe(zone);
  });

  it.each([['Mars/Olympus'], ['+09:00'], ['JST+9'], [''], ['Asia/Tokyo; DROP TABLE']])(
    'refuses %p as validation_failed',
    (input) => {
      let error: unknown;
      try {
        canonicalTimeZone(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(ErrorCode.ValidationFailed);
    },
  );
});
