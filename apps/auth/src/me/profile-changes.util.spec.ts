import { User } from '../users/user.entity';
import { profileChanges } from './profile-changes.util';

function user(overrides: Partial<User> = {}): User {
  return Object.assign(new User(), {
    email: 'hanako@example.com',
    displayName: null,
    phone: '+819012345678',
    smsDisabledAt: null,
    smsDisabledReason: null,
    language: 'ja',
    timezone: 'Asia/Tokyo',
    ...overrides,
  });
}

describe(profileChanges.name, () => {
  it('counts nothing that equals what is stored, so a form sent back whole needs no step-up', () => {
    const changes = profileChanges(user(), {
      email: 'hanako@example.com',
      phone: '+819012345678',
      language: 'ja',
      timezone: 'asia/tokyo',
      displayName: '  ',
    });
    expect(changes).toEqual({ patch: {}, fields: [], sensitive: [], phoneRemoved: false });
  });

  it('needs step-up for the e-mail and the phone only', () => {
    const changes = profileChanges(user(), {
      displayName: ' Hanako ',
      email: 'new@example.com',
      phone: '+819087654321',
      language: 'en',
      timezone: 'Europe/London',
    });
    expect(changes.fields).toEqual(['displayName', 'email', 'phone', 'language', 'timezone']);
    expect(changes.sensitive).toEqual(['email', 'phone']);
    expect(changes.patch).toMatchObject({
      displayName: 'Hanako',
      email: 'new@example.com',
      emailUndeliverable: false,
      phone: '+819087654321',
      smsDisabledAt: null,
      language: 'en',
      timezone: 'Europe/London',
    });
    expect(profileChanges(user(), { language: 'en', timezone: 'UTC' }).sensitive).toEqual([]);
  });

  it('removing a registered phone switches SMS off; removing none is no change', () => {
    expect(profileChanges(user(), { phone: null })).toMatchObject({
      patch: { phone: null },
      sensitive: ['phone'],
      phoneRemoved: true,
    });
    expect(profileChanges(user({ phone: null }), { phone: null }).fields).toEqual([]);
  });

  it('registering the same phone again switches SMS back on after its line ended', () => {
    const off = user({ smsDisabledAt: new Date(), smsDisabledReason: 'line_cancelled' });
    expect(profileChanges(off, { phone: '+819012345678' })).toMatchObject({
      patch: { phone: '+819012345678', smsDisabledAt: null, smsDisabledReason: null },
      sensitive: ['phone'],
      phoneRemoved: false,
    });
  });
});
