import { canMove } from './message-status.rules';

describe('message status rules', () => {
  it('moves forward only', () => {
    expect(canMove('queued', null, 'sent')).toBe(true);
    expect(canMove('sent', null, 'delivered')).toBe(true);
    expect(canMove('queued', null, 'suppressed')).toBe(true);
    expect(canMove('delivered', null, 'bounced')).toBe(true);
    // A late `sent` receipt after `delivered` changes nothing.
    expect(canMove('delivered', null, 'sent')).toBe(false);
    expect(canMove('delivered', null, 'failed')).toBe(false);
    expect(canMove('expired', null, 'sent')).toBe(false);
    expect(canMove('suppressed', null, 'sent')).toBe(false);
    expect(canMove('sent', null, 'expired')).toBe(false);
    expect(canMove('bounced', null, 'delivered')).toBe(false);
  });

  it('lets a receipt settle a message whose outcome was unknown, and nothing else that failed', () => {
    expect(canMove('failed', 'outcome_unknown', 'delivered')).toBe(true);
    expect(canMove('failed', 'outcome_unknown', 'sent')).toBe(true);
    expect(canMove('failed', 'outcome_unknown', 'failed')).toBe(true);
    expect(canMove('failed', 'outcome_unknown', 'expired')).toBe(false);
    expect(canMove('failed', 'smtp_550', 'delivered')).toBe(false);
    expect(canMove('failed', 'smtp_550', 'bounced')).toBe(true);
  });
});
