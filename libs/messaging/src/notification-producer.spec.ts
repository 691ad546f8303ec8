import { ErrorCode } from '@app/contracts';
import { silentLogger } from '@app/testing';
import { NotificationProducer } from './notification-producer';

describe(NotificationProducer.name, () => {
  it('gives up with service_unavailable when Redis does not answer, instead of waiting for it', async () => {
    // A port nothing listens on: BullMQ would wait for the connection forever.
    const sut = new NotificationProducer(
      { REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: 'unit' } as never,
      silentLogger(),
    );
    const started = Date.now();
    await expect(
      sut.enqueue(
        {
          name: 'password-reset-completed',
          data: {
            messageId: 'm-1',
            channel: 'email',
            template: 'password-reset-completed',
            language: 'en',
            to: ['someone@example.com'],
            params: {},
            correlationId: 'r-1',
          },
        },
        'transactional',
      ),
    ).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable });
    expect(Date.now() - started).toBeLessThan(10_000);
    await sut.onApplicationShutdown().catch(() => undefined);
  });
});
