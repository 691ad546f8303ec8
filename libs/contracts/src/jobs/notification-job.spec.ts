import { NotificationJob, TemplateName, TemplateParams } from './notification-job';

/**
 * The compile-time half of NOTIF-3: a producer cannot queue a message type without its data, nor
 * with another type's. The `@ts-expect-error` lines fail `tsc` (npm run typecheck) the day the
 * types stop refusing them; the test below only runs what compiles.
 */
function job<T extends TemplateName>(name: T, params: TemplateParams[T]): NotificationJob {
  return {
    name,
    data: {
      messageId: 'm',
      channel: 'email',
      template: name,
      language: 'ja',
      to: ['a@example.test'],
      params,
      correlationId: 'c',
    },
  } as NotificationJob;
}

describe('NotificationJob typing', () => {
  it('accepts a message type with its own parameters', () => {
    expect(job('security-code', { code: '123456', expiresInMinutes: 5 }).name).toBe('security-code');
    expect(job('account-locked', { until: '2026-12-03T06:00:00Z' }).name).toBe('account-locked');
  });

  it('refuses at compile time a type without its data, or with another type’s', () => {
    const refused = (): NotificationJob[] => [
      // @ts-expect-error a security code needs its code
      job('security-code', { expiresInMinutes: 5 }),
      // @ts-expect-error a case update's parameters are not a security code's
      job('security-code', { caseNumber: 'CS0000001', event: 'created', subject: 's', status: 'New' }),
      // @ts-expect-error an unknown message type
      job('no-such-template', {}),
      // @ts-expect-error the job name and its data's template must be the same type
      {
        name: 'mfa-changed',
        data: {
          messageId: 'm',
          channel: 'email',
          template: 'mfa-reset',
          language: 'ja',
          to: [],
          params: { caseNumber: 'CS0000001' },
          correlationId: 'c',
        },
      },
    ];
    expect(typeof refused).toBe('function');
  });
});
